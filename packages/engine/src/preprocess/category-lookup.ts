// Finds a value's category, letting the yes/no, true/false and 1/0 spellings of a boolean stand in for each other.

const TRUE_SPELLINGS = ['true', 'yes', 'y', 't', '1'];
const FALSE_SPELLINGS = ['false', 'no', 'n', 'f', '0'];
const TRUE = new Set(TRUE_SPELLINGS);
const FALSE = new Set(FALSE_SPELLINGS);

/**
 * The boolean fallbacks of a category list, for code that must reproduce `CategoryLookup.find` elsewhere (exports):
 * each set of spellings (lower case, trimmed) with the category it maps to; a set with no unique category is left out.
 */
export function booleanFallbacks(categories: string[]): { spellings: readonly string[]; category: number }[] {
  return [
    { spellings: TRUE_SPELLINGS, category: unique(categories, TRUE) },
    { spellings: FALSE_SPELLINGS, category: unique(categories, FALSE) },
  ].filter((f) => f.category >= 0);
}

/**
 * Exact matches first. Failing that, a boolean spelling maps to the one category that spells the same truth value
 * (a CSV reader may have turned "yes"/"no" into booleans, or the other way round); when none or several do, the value
 * is unseen. Why: scoring a boolean as an unseen category would silently treat it as missing.
 */
export class CategoryLookup {
  readonly #exact: Map<string, number>;
  readonly #truthy: number;
  readonly #falsy: number;

  constructor(categories: string[]) {
    this.#exact = new Map(categories.map((c, i) => [c, i]));
    this.#truthy = unique(categories, TRUE);
    this.#falsy = unique(categories, FALSE);
  }

  /** Index into the categories, or -1 for an unseen value. */
  find(text: string): number {
    const exact = this.#exact.get(text);
    if (exact !== undefined) return exact;
    const normal = text.trim().toLowerCase();
    if (TRUE.has(normal)) return this.#truthy;
    if (FALSE.has(normal)) return this.#falsy;
    return -1;
  }
}

const cache = new WeakMap<string[], CategoryLookup>();

/** One lookup per categories array (artifacts are scored many times). */
export function categoryLookup(categories: string[]): CategoryLookup {
  let lookup = cache.get(categories);
  if (lookup === undefined) {
    lookup = new CategoryLookup(categories);
    cache.set(categories, lookup);
  }
  return lookup;
}

function unique(categories: string[], spellings: Set<string>): number {
  let found = -1;
  for (let i = 0; i < categories.length; i++) {
    if (!spellings.has(categories[i]!.trim().toLowerCase())) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}
