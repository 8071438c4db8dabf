// Shared schemas for names and ids in paths and bodies.

import { Type } from '@sinclair/typebox';

/** Project, dataset, model and endpoint names: readable, URL-safe, and never confusable with an id prefix. */
export const NameSchema = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'A name' });
export const IdSchema = Type.String({ minLength: 1, maxLength: 100 });
export const AliasSchema = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$' });
export const DescriptionSchema = Type.String({ maxLength: 4000 });
