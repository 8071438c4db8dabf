// Request validation: query strings and paths are text and get coerced to their schema's types; JSON bodies are
// already typed and are never coerced (coercion would turn `true` into 1 in a number-or-boolean parameter).

import { Ajv, type Options } from 'ajv';
import type { FastifyInstance } from 'fastify';

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false };
const forBodies = new Ajv({ ...common, coerceTypes: false });
const forText = new Ajv({ ...common, coerceTypes: 'array' });

export function installValidators(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? forBodies : forText).compile(schema));
}
