// Delayed labels for records an endpoint answered: the request body, and the check of each label against the logged
// request it names (does the record exist, does the label fit the model that answered).

import { Type, type Static } from '@sinclair/typebox';
import type { FeedbackReply, Prediction } from '@modelyard/client';
import type { LoggedRequestShape, NewFeedback } from '../store/metadata-store.js';

export const MAX_FEEDBACK_LABELS = 10_000;

export const FeedbackBody = Type.Object(
  {
    labels: Type.Array(
      Type.Object(
        {
          requestId: Type.String({ minLength: 1, maxLength: 200 }),
          index: Type.Optional(Type.Integer({ minimum: 0 })),
          // Any JSON value: a label of the wrong type is reported per label (`invalid`), not as a malformed body.
          label: Type.Unknown(),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_FEEDBACK_LABELS },
    ),
  },
  { additionalProperties: false },
);
export type FeedbackBody = Static<typeof FeedbackBody>;

/** The class a label names, when it is one: strings as they are, numbers and booleans as they print. */
function classOf(label: unknown, classes: string[]): string | undefined {
  const text =
    typeof label === 'string'
      ? label
      : typeof label === 'number' || typeof label === 'boolean'
        ? String(label)
        : undefined;
  return text !== undefined && classes.includes(text) ? text : undefined;
}

function shown(label: unknown): string {
  return JSON.stringify(label)?.slice(0, 100) ?? String(label);
}

/**
 * Sorts the labels into those to store, those naming no logged record (`unknown`), and those of the wrong type for
 * the model that answered (`invalid`). The answer itself tells the task and the classes, so a label is checked
 * against the version that scored the record, whatever the endpoint serves now.
 */
export function checkFeedback(
  labels: FeedbackBody['labels'],
  shapes: Map<string, LoggedRequestShape>,
): { accepted: NewFeedback[]; reply: FeedbackReply } {
  const accepted: NewFeedback[] = [];
  const reply: FeedbackReply = { accepted: 0, unknown: [], invalid: [] };
  labels.forEach((entry, position) => {
    const index = entry.index ?? 0;
    const shape = shapes.get(entry.requestId);
    const first: Prediction | null | undefined = shape?.first;
    if (shape === undefined || first === null || first === undefined || index >= shape.records) {
      reply.unknown.push({ requestId: entry.requestId, index });
      return;
    }
    if ('value' in first) {
      if (typeof entry.label === 'number' && Number.isFinite(entry.label)) {
        accepted.push({ requestId: entry.requestId, index, label: entry.label });
      } else {
        reply.invalid.push({
          position,
          code: 'label_not_a_number',
          message: `Label ${shown(entry.label)} is not a finite number; a regression model's labels are numbers.`,
        });
      }
      return;
    }
    const classes = Object.keys(first.probabilities);
    const label = classOf(entry.label, classes);
    if (label !== undefined) {
      accepted.push({ requestId: entry.requestId, index, label });
    } else {
      const listed = classes.slice(0, 20).map((c) => `'${c}'`);
      reply.invalid.push({
        position,
        code: 'label_not_a_class',
        message:
          `Label ${shown(entry.label)} is not one of the model's classes ` +
          `(${listed.join(', ')}${classes.length > listed.length ? ', ...' : ''}).`,
      });
    }
  });
  reply.accepted = accepted.length;
  return { accepted, reply };
}
