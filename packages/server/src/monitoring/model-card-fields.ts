// The written part of a model card (intended use, limitations, ethical considerations, caveats, owners, notes), as
// stored with the version at models/<id>/versions/<v>/model_card.json; the `model_card` gate reads it.

import { Type, type Static } from '@sinclair/typebox';
import type { ModelCardEdits } from '@modelyard/client';

const Text = Type.String({ maxLength: 20_000 });

/** PUT body: every field optional; a field left out keeps its saved value, null clears it. */
export const ModelCardBody = Type.Object(
  {
    intendedUse: Type.Optional(Type.Union([Text, Type.Null()])),
    limitations: Type.Optional(Type.Union([Text, Type.Null()])),
    ethicalConsiderations: Type.Optional(Type.Union([Text, Type.Null()])),
    caveats: Type.Optional(Type.Union([Text, Type.Null()])),
    owners: Type.Optional(
      Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 }), Type.Null()]),
    ),
    notes: Type.Optional(Type.Union([Text, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ModelCardBody = Static<typeof ModelCardBody>;

const TEXT_FIELDS = ['intendedUse', 'limitations', 'ethicalConsiderations', 'caveats', 'notes'] as const;

/** Nothing written yet. */
export const EMPTY_EDITS: ModelCardEdits = { updatedAt: null, updatedBy: null };

/** The stored JSON as edits (unknown or mistyped fields dropped). */
export function editsFrom(json: unknown): ModelCardEdits {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const edits: ModelCardEdits = {
    updatedAt: typeof o.updatedAt === 'string' ? o.updatedAt : null,
    updatedBy: typeof o.updatedBy === 'string' ? o.updatedBy : null,
  };
  for (const field of TEXT_FIELDS) if (typeof o[field] === 'string') edits[field] = o[field];
  if (Array.isArray(o.owners)) edits.owners = o.owners.filter((x): x is string => typeof x === 'string');
  return edits;
}

/** The saved edits with a PUT body applied (null clears a field, blank text counts as cleared). */
export function applyEdits(saved: ModelCardEdits, body: ModelCardBody, by: string, at: string): ModelCardEdits {
  const next: ModelCardEdits = { ...saved, updatedAt: at, updatedBy: by };
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value.trim() === '') delete next[field];
    else next[field] = value;
  }
  if (body.owners !== undefined) {
    if (body.owners === null || body.owners.length === 0) delete next.owners;
    else next.owners = body.owners;
  }
  return next;
}

/** What the `model_card` gate still needs: the names of required fields left empty. */
export function missingCardFields(json: unknown): string[] {
  const edits = editsFrom(json);
  const missing: string[] = [];
  if (!edits.intendedUse?.trim()) missing.push('intended use');
  if (!edits.limitations?.trim()) missing.push('limitations');
  return missing;
}
