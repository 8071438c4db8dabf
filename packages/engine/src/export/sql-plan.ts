// A scoring query as a chain of steps (CTEs), each reading only the one before: every tree, margin and probability is
// computed once per row and later steps read it by name.
import { NameAllocator, quoteIdentifier, type SqlDialect } from './sql-text.js';

export interface PlanColumn {
  name: string;
  sql: string;
}

interface Step {
  name: string;
  comment: string;
  columns: PlanColumn[];
}

/** What a step's builder gets: references to earlier columns (from the step right before, which carries them). */
export interface StepScope {
  ref(column: string): string;
}

export class SqlPlan {
  /** Column names, unique over the whole statement. */
  readonly columns = new NameAllocator();
  readonly #stepNames = new NameAllocator();
  readonly #steps: Step[] = [];
  readonly #definedAt = new Map<string, number>();
  readonly #lastUse = new Map<string, number>();

  /**
   * Adds a step named like `name` (a fresh column name per entry of the result); skipped when `build` returns no
   * columns. Columns read through `scope.ref` are carried from the step that made them to this one.
   */
  step(name: string, comment: string, build: (scope: StepScope) => PlanColumn[]): void {
    const index = this.#steps.length;
    const previous = this.#steps[index - 1]?.name;
    const used = new Set<string>();
    const scope: StepScope = {
      ref: (column) => {
        const at = this.#definedAt.get(column);
        if (at === undefined || at >= index || previous === undefined) {
          throw new Error(`SQL plan: column ${column} is read before it is made`);
        }
        used.add(column);
        return `${previous}.${quoteIdentifier(column)}`;
      },
    };
    const columns = build(scope);
    if (columns.length === 0) return;
    for (const column of used) this.#lastUse.set(column, index);
    for (const column of columns) this.#definedAt.set(column.name, index);
    this.#steps.push({ name: this.#stepNames.fresh(name), comment, columns });
  }

  /**
   * A top-level `WITH <steps> SELECT <source row>, <outputs>`: the first step reads `from` (which names its row `src`)
   * and every step carries that whole row along, so the table's own columns come out unchanged, whatever their names.
   */
  renderChain(dialect: SqlDialect, outputs: PlanOutput[], from: string): string {
    const row = this.columns.fresh('source_row');
    const ctes = this.#selects(outputs).map(({ name, comment, columns, previous }) => {
      const lines = [`  ${name} AS (`, `    -- ${comment}`, '    SELECT'];
      const carried = `${previous ?? 'src'}${previous === undefined ? '' : `.${quoteIdentifier(row)}`}`;
      lines.push(
        [`${carried} AS ${quoteIdentifier(row)}`, ...columns]
          .map((c) => `      ${indentLines(c, '      ')}`)
          .join(',\n'),
      );
      lines.push(previous === undefined ? `    FROM ${from}` : `    FROM ${previous}`);
      // PostgreSQL would otherwise inline a step into the next one and evaluate its expressions at every reference.
      if (dialect === 'postgres') lines.push('    OFFSET 0');
      lines.push('  )');
      return lines.join('\n');
    });
    const last = this.#lastStep();
    const source = `${last}.${quoteIdentifier(row)}`;
    const expanded = dialect === 'postgres' ? `(${source}).*` : `unnest(${source})`;
    const select = outputs.map((o) => `  ${last}.${quoteIdentifier(o.column)} AS ${quoteIdentifier(o.name)}`);
    return `WITH\n${ctes.join(',\n')}\nSELECT\n${[`  ${expanded}`, ...select].join(',\n')}\nFROM ${last}`;
  }

  /**
   * One scalar subquery of nested derived tables, its first step reading the outer query's columns: what an
   * expression in someone else's SELECT can be. (DuckDB plans a chain of CTEs inside a correlated subquery very
   * slowly; nested derived tables it plans as fast as a plain query.)
   */
  renderNested(dialect: SqlDialect, output: PlanOutput): string {
    let sql = '';
    for (const { name, comment, columns, previous } of this.#selects([output])) {
      const lines = [`-- ${name}: ${comment}`, 'SELECT', columns.map((c) => `  ${indentLines(c, '  ')}`).join(',\n')];
      if (previous !== undefined) lines.push(`FROM (\n${indentLines(`  ${sql}`, '  ')}\n) AS ${previous}`);
      if (dialect === 'postgres') lines.push('OFFSET 0');
      sql = lines.join('\n');
    }
    const last = this.#lastStep();
    const select = `${last}.${quoteIdentifier(output.column)}`;
    return `(SELECT ${select} FROM (\n${indentLines(`  ${sql}`, '  ')}\n) AS ${last})`;
  }

  /** Each step's select list: the columns later steps (or the outputs) read, carried from the step before, then its own. */
  #selects(outputs: PlanOutput[]): { name: string; comment: string; columns: string[]; previous?: string }[] {
    const final = this.#steps.length;
    const lastUse = new Map(this.#lastUse);
    for (const { column } of outputs) {
      if (!this.#definedAt.has(column)) throw new Error(`SQL plan: unknown output column ${column}`);
      lastUse.set(column, final);
    }
    return this.#steps.map((step, i) => {
      const previous = this.#steps[i - 1]?.name;
      const carried = [...this.#definedAt]
        .filter(([column, at]) => at < i && (lastUse.get(column) ?? -1) > i)
        .map(([column]) => `${previous}.${quoteIdentifier(column)}`);
      const made = step.columns.map((c) => `${c.sql} AS ${quoteIdentifier(c.name)}`);
      return { name: step.name, comment: step.comment, columns: [...carried, ...made], ...(previous && { previous }) };
    });
  }

  #lastStep(): string {
    const last = this.#steps.at(-1)?.name;
    if (last === undefined) throw new Error('SQL plan: no steps');
    return last;
  }
}

export interface PlanOutput {
  /** The name the output gets. */
  name: string;
  /** The plan column that holds it. */
  column: string;
}

/** Continuation lines of a multi-line expression, indented under its first line. */
function indentLines(sql: string, indent: string): string {
  return sql.replaceAll('\n', `\n${indent}`);
}
