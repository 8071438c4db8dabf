import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FilterClause, FilterSyntaxError, type OrderKey, parseOrderBy, parseRunFilter } from './run-filter.js';

type Clause = Omit<FilterClause, 'position'> & { position?: number };
const at = (position: number, clause: Omit<FilterClause, 'position'>): FilterClause => ({ ...clause, position });

const ACCEPTED: [string, Clause[]][] = [
  [
    "metrics.auc > 0.8 and params.max_depth = '6' and tags.team = 'risk' and attributes.status = 'FINISHED'",
    [
      at(0, { entity: 'metric', key: 'auc', comparator: '>', value: 0.8 }),
      at(22, { entity: 'param', key: 'max_depth', comparator: '=', value: '6' }),
      at(49, { entity: 'tag', key: 'team', comparator: '=', value: 'risk' }),
      at(72, { entity: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' }),
    ],
  ],
  ["params.model LIKE 'xgb%'", [at(0, { entity: 'param', key: 'model', comparator: 'LIKE', value: 'xgb%' })]],
  ["tags.owner ILIKE '%AN_N%'", [at(0, { entity: 'tag', key: 'owner', comparator: 'ILIKE', value: '%AN_N%' })]],
  ["params.model like 'x'", [at(0, { entity: 'param', key: 'model', comparator: 'LIKE', value: 'x' })]],
  [
    "attributes.run_id IN ('ab', 'cd')",
    [at(0, { entity: 'attribute', key: 'run_id', comparator: 'IN', value: ['ab', 'cd'] })],
  ],
  ["run_id not  in ('ab')", [at(0, { entity: 'attribute', key: 'run_id', comparator: 'NOT IN', value: ['ab'] })]],
  [
    "datasets.digest IN ('d1','d2')",
    [at(0, { entity: 'dataset', key: 'digest', comparator: 'IN', value: ['d1', 'd2'] })],
  ],
  ["attributes.run_name != 'x'", [at(0, { entity: 'attribute', key: 'run_name', comparator: '!=', value: 'x' })]],
  ['metrics.`val loss` <= 0.3', [at(0, { entity: 'metric', key: 'val loss', comparator: '<=', value: 0.3 })]],
  [`params."max depth" = '3'`, [at(0, { entity: 'param', key: 'max depth', comparator: '=', value: '3' })]],
  ["params.'odd key' = '3'", [at(0, { entity: 'param', key: 'odd key', comparator: '=', value: '3' })]],
  ["run_name = 'abc'", [at(0, { entity: 'attribute', key: 'run_name', comparator: '=', value: 'abc' })]],
  [`"Run Name" = 'abc'`, [at(0, { entity: 'attribute', key: 'run_name', comparator: '=', value: 'abc' })]],
  ['created >= 5', [at(0, { entity: 'attribute', key: 'start_time', comparator: '>=', value: 5 })]],
  [
    'attributes.start_time >= 1700000000000',
    [at(0, { entity: 'attribute', key: 'start_time', comparator: '>=', value: 1700000000000 })],
  ],
  ['attr.end_time < 2', [at(0, { entity: 'attribute', key: 'end_time', comparator: '<', value: 2 })]],
  ["run.status = 'RUNNING'", [at(0, { entity: 'attribute', key: 'status', comparator: '=', value: 'RUNNING' })]],
  [
    "attribute.artifact_uri = '1/23/4'",
    [at(0, { entity: 'attribute', key: 'artifact_uri', comparator: '=', value: '1/23/4' })],
  ],
  ["user_id = 'ann'", [at(0, { entity: 'attribute', key: 'user_id', comparator: '=', value: 'ann' })]],
  ["tags.`mlflow.runName` = 'x'", [at(0, { entity: 'tag', key: 'mlflow.runName', comparator: '=', value: 'x' })]],
  ["tags.mlflow.runName = 'x'", [at(0, { entity: 'tag', key: 'mlflow.runName', comparator: '=', value: 'x' })]],
  ["datasets.name = 'train'", [at(0, { entity: 'dataset', key: 'name', comparator: '=', value: 'train' })]],
  ["dataset.context != 'eval'", [at(0, { entity: 'dataset', key: 'context', comparator: '!=', value: 'eval' })]],
  ['metric.acc >= 0.94', [at(0, { entity: 'metric', key: 'acc', comparator: '>=', value: 0.94 })]],
  ['metric.acc>=100', [at(0, { entity: 'metric', key: 'acc', comparator: '>=', value: 100 })]],
  ["params.m!='tf'", [at(0, { entity: 'param', key: 'm', comparator: '!=', value: 'tf' })]],
  ["param.m = 'a'", [at(0, { entity: 'param', key: 'm', comparator: '=', value: 'a' })]],
  ["parameters.m = 'a'", [at(0, { entity: 'param', key: 'm', comparator: '=', value: 'a' })]],
  ["tag.t = 'a'", [at(0, { entity: 'tag', key: 't', comparator: '=', value: 'a' })]],
  ['`metric`.a >= 0.1', [at(0, { entity: 'metric', key: 'a', comparator: '>=', value: 0.1 })]],
  ['metrics."X//Y#$$@&Z" = 3', [at(0, { entity: 'metric', key: 'X//Y#$$@&Z', comparator: '=', value: 3 })]],
  ['metrics.f1_2 = -1', [at(0, { entity: 'metric', key: 'f1_2', comparator: '=', value: -1 })]],
  ['metrics.a > -1.5e-3', [at(0, { entity: 'metric', key: 'a', comparator: '>', value: -0.0015 })]],
  ['metrics.a > 2E+3', [at(0, { entity: 'metric', key: 'a', comparator: '>', value: 2000 })]],
  ['metrics.a < .5', [at(0, { entity: 'metric', key: 'a', comparator: '<', value: 0.5 })]],
  ['metrics.a < 1.', [at(0, { entity: 'metric', key: 'a', comparator: '<', value: 1 })]],
  ['metrics.a = -0', [at(0, { entity: 'metric', key: 'a', comparator: '=', value: 0 })]],
  [`params.m = "L'Hosp"`, [at(0, { entity: 'param', key: 'm', comparator: '=', value: "L'Hosp" })]],
  ["params.m = 'it''s'", [at(0, { entity: 'param', key: 'm', comparator: '=', value: "it's" })]],
  ["params.m = 'it\\'s'", [at(0, { entity: 'param', key: 'm', comparator: '=', value: "it's" })]],
  ['params.m = "say \\"hi\\""', [at(0, { entity: 'param', key: 'm', comparator: '=', value: 'say "hi"' })]],
  ["params.p = 'C:\\dir'", [at(0, { entity: 'param', key: 'p', comparator: '=', value: 'C:\\dir' })]],
  ["params.m = ''", [at(0, { entity: 'param', key: 'm', comparator: '=', value: '' })]],
  [
    "  metrics.a > 1\n\tAnD\n  params.b = 'x'  ",
    [
      at(2, { entity: 'metric', key: 'a', comparator: '>', value: 1 }),
      at(23, { entity: 'param', key: 'b', comparator: '=', value: 'x' }),
    ],
  ],
  ["params.é = 'ü'", [at(0, { entity: 'param', key: 'é', comparator: '=', value: 'ü' })]],
];

describe('parseRunFilter accepts what MLflow 2.17 accepts', () => {
  it.each(ACCEPTED)('%s', (text, expected) => {
    expect(parseRunFilter(text)).toStrictEqual(expected);
  });

  it('reads an empty, blank or missing filter as no clauses', () => {
    expect(parseRunFilter('')).toStrictEqual([]);
    expect(parseRunFilter(undefined)).toStrictEqual([]);
    expect(parseRunFilter(' \n\t')).toStrictEqual([]);
  });
});

/** [filter, the message's start, the offending token's offset]. MLflow's texts come first so clients can match them. */
const REFUSED: [string, string, number][] = [
  // From contracts/mlflow-2.17-errors.txt ("search runs (OR)").
  ["metrics.a > 0.1 OR params.b = 'LR'", "Invalid clause(s) in filter string: 'OR' (at position 16", 16],
  ["metrics.a > 0.1 or params.b = 'LR'", "Invalid clause(s) in filter string: 'or'", 16],
  ["metrics.a > 0.1 NAND params.b = 'LR'", "Invalid clause(s) in filter string: 'NAND'", 16],
  ["metrics.a > 0.1 AND (params.b = 'LR')", "Invalid clause(s) in filter string: '('", 20],
  ["metrics.a > 0.1 params.b = 'LR'", "Invalid clause(s) in filter string: 'params'", 16],
  ['metrics.a > 1 and', "Invalid clause(s) in filter string: 'and'", 14],
  ['metrics.a > 1 and and metrics.b < 2', "Invalid clause(s) in filter string: 'and'", 18],
  ['metrics.a > 1 ;', "Invalid clause(s) in filter string: ';'", 14],
  ['metric.acc >= 0.94; metrics.rmse < 1', "Search filter contained multiple expression 'metric.acc >= 0.94;", 18],
  ['`metrics.A > 0.1', "Invalid clause(s) in filter string: '`metrics.A > 0.1'", 0],
  ["params.'acc = LR", "Invalid clause(s) in filter string: ''acc = LR'", 7],
  ["params.acc = 'LR", "Invalid clause(s) in filter string: ''LR'", 13],
  ['params.acc = "LR\'', "Invalid clause(s) in filter string: '\"LR''", 13],
  ["tags.acc = = 'LR'", "Invalid clause(s) in filter string: '='", 11],
  ["attribute.status IS 'RUNNING'", "Invalid clause(s) in filter string: 'IS'", 17],
  ['params.acc LR !=', "Invalid clause(s) in filter string: 'LR'", 11],
  ['metric.acc !=', "Invalid clause(s) in filter string: 'metric.acc !='", 13],
  ['metrics.acc', "Invalid clause(s) in filter string: 'metrics.acc'", 11],
  ['metrics.val-loss > 1', "Invalid clause(s) in filter string: '-' (at position 11; a name with special", 11],
  ["run_id IN 'a'", "Invalid clause(s) in filter string: ''a''", 10],
  ["run_id IN ('a'", "Invalid clause(s) in filter string: '('a''", 10],
  ["params.a = 'x' )", "Invalid clause(s) in filter string: ')'", 15],
  [
    'm.acc >= 0.94',
    "Invalid entity type 'm'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    0,
  ],
  ["METRICS.acc >= 0.94 and params.a = 'b'", "Invalid entity type 'METRICS'", 0],
  ['attri.x != 1', "Invalid entity type 'attri'", 0],
  ['"metrics".x != 1', `Invalid entity type '"metrics"'`, 0],
  ['acc >= 0.94', "Invalid attribute key 'acc' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id',", 0],
  ["model >= 'LR'", "Invalid attribute key 'model' specified", 0],
  ['attribute.start != 1', "Invalid attribute key 'start' specified", 10],
  ['attribute.experiment_id != 1', "Invalid attribute key 'experiment_id' specified", 10],
  ["attribute.lifecycle_stage = 'ACTIVE'", "Invalid attribute key 'lifecycle_stage' specified", 10],
  [
    "dataset.status = 'true'",
    "Invalid dataset key 'status' specified. Valid keys are '{'name', 'digest', 'context'}'",
    8,
  ],
  ['metrics. > 1', "Invalid identifier 'metrics.'. Columns should be specified as 'attribute.<key>'", 8],
  ['metrics.5 > 1', "Invalid identifier 'metrics.5'.", 8],
  ['params."a".b = \'x\'', `Invalid identifier 'params."a".b'.`, 7],
  ['1.0 > metrics.acc', "Invalid comparison clause. Expected 'Identifier' found '1.0'", 0],
  ["'x' = params.a", "Invalid comparison clause. Expected 'Identifier' found ''x''", 0],
  ["metric.model = 'LR'", "Expected numeric value type for metric. Found 'LR'", 15],
  ["metric.model = '5'", "Expected numeric value type for metric. Found '5'", 15],
  ['metrics.acc != metrics.acc', 'Expected numeric value type for metric. Found metrics.acc', 15],
  ['metrics.a > 1.2.3', 'Expected numeric value type for metric. Found 1.2.3', 12],
  ['metrics.a > 1e999', 'Expected numeric value type for metric. Found 1e999', 12],
  ["metrics.a IN ('1')", "Expected numeric value type for metric. Found ('1')", 13],
  ["attributes.start_time > '5'", "Expected numeric value type for numeric attribute: start_time. Found '5'", 24],
  ['created > x', 'Expected numeric value type for numeric attribute: created. Found x', 10],
  ['params.acc = 5', "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 5", 13],
  ['tags.acc = 5', "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5", 11],
  ["params.acc IN ('a')", "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('a')", 14],
  ['attribute.status = 1', 'Expected a quoted string value for attributes. Got value 1', 19],
  ['datasets.name = 1', 'Expected a quoted string value for dataset attributes. Got value 1', 16],
  ['params.acc = LR', 'Parameter value is either not quoted or unidentified quote types used for string value LR.', 13],
  ['tags.acc = LR', 'Parameter value is either not quoted or unidentified quote types used for string value LR.', 11],
  [
    'params.acc = `LR`',
    'Parameter value is either not quoted or unidentified quote types used for string value `LR`.',
    13,
  ],
  ["attributes.status IN ('FINISHED', 'FAILED')", "Only the 'run_id' attribute supports comparison with a list", 21],
  [
    'run_id IN ()',
    'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
    10,
  ],
  [
    "run_id IN ('a',)",
    'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed',
    15,
  ],
  [
    "run_id IN ('a' 'b')",
    'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed',
    15,
  ],
  [
    'run_id IN ("a", "b")',
    'While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ("a", "b")',
    11,
  ],
  ["datasets.name IN (1, 'b')", 'While parsing a list in the query, expected string value', 18],
  ['metrics.a =~ 1', "Invalid comparator '=~' not one of '{'=', '!=', '>', '>=', '<', '<='}' (at position 10)", 10],
  ['metrics.a == 1', "Invalid comparator '==' not one of", 10],
  ['metrics.a <> 1', "Invalid comparator '<>' not one of", 10],
  ['metrics.a LIKE 1', "Invalid comparator 'LIKE' not one of '{'=', '!=', '>', '>=', '<', '<='}'", 10],
  ["params.model >= 'LR'", "Invalid comparator '>=' not one of '{'=', '!=', 'LIKE', 'ILIKE'}'", 13],
  ["tags.t > 'a'", "Invalid comparator '>' not one of '{'=', '!=', 'LIKE', 'ILIKE'}'", 7],
  ["attributes.status < 'a'", "Invalid comparator '<' not one of '{'=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'", 18],
  ['attributes.start_time LIKE 1234', "Invalid comparator 'LIKE' not one of '{'=', '!=', '>', '>=', '<', '<='}'", 22],
  ["params.a NOT LIKE 'x'", "Invalid comparator 'NOT LIKE' not one of", 9],
  ["datasets.name > 'x'", "Invalid comparator '>' not one of", 14],
  ["run_id = ('a')", "Invalid comparator '=' not one of '{'IN', 'NOT IN'}'", 7],
  // The name and value of an earlier clause are judged before the comparator of any clause, as in MLflow.
  [
    'metrics.a =~ 1 and params.b = 5',
    "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 5",
    30,
  ],
  ['m.x = 1 OR b = 2', "Invalid clause(s) in filter string: 'OR'", 8],
];

function caught(run: () => unknown): FilterSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a FilterSyntaxError, but the text was accepted');
}

describe('parseRunFilter refuses what MLflow 2.17 refuses, in its words, at the offending token', () => {
  it.each(REFUSED)('%s', (text, prefix, position) => {
    const error = caught(() => parseRunFilter(text));
    expect(error.message.startsWith(prefix), `${error.message}\n  should start with\n${prefix}`).toBe(true);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`at position ${position}`);
    expect(error.message.startsWith(error.mlflowMessage)).toBe(true);
  });

  it('answers the contract OR request with exactly MLflow 2.17 text', () => {
    const error = caught(() => parseRunFilter('metrics.a > 1 OR metrics.b > 2'));
    expect(error.mlflowMessage).toBe("Invalid clause(s) in filter string: 'OR'");
    expect(error.message).toBe(
      "Invalid clause(s) in filter string: 'OR' (at position 14; OR is not supported, only AND joins clauses)",
    );
    expect(error.excerpt).toBe('metrics.a > 1 OR metrics.b > 2\n              ^');
  });

  it('points the caret at the offending line of a multi-line filter', () => {
    const error = caught(() => parseRunFilter("metrics.a > 1\nAND params.b ~ 'x'"));
    expect(error.position).toBe(27);
    expect(error.excerpt).toBe("AND params.b ~ 'x'\n             ^");
  });
});

const ORDERS: [string[], OrderKey[]][] = [
  [['metrics.auc DESC'], [{ entity: 'metric', key: 'auc', ascending: false }]],
  [['attributes.start_time ASC'], [{ entity: 'attribute', key: 'start_time', ascending: true }]],
  [['params.x'], [{ entity: 'param', key: 'x', ascending: true }]],
  [['  tags.`mlflow.user`   desc  '], [{ entity: 'tag', key: 'mlflow.user', ascending: false }]],
  [['metrics."val loss" Asc'], [{ entity: 'metric', key: 'val loss', ascending: true }]],
  [['created DESC'], [{ entity: 'attribute', key: 'start_time', ascending: false }]],
  [['run_name'], [{ entity: 'attribute', key: 'run_name', ascending: true }]],
  [
    ['metrics.auc DESC', 'param.lr', 'run.end_time desc'],
    [
      { entity: 'metric', key: 'auc', ascending: false },
      { entity: 'param', key: 'lr', ascending: true },
      { entity: 'attribute', key: 'end_time', ascending: false },
    ],
  ],
];

describe('parseOrderBy', () => {
  it.each(ORDERS)('%j', (items, expected) => {
    expect(parseOrderBy(items)).toStrictEqual(expected);
  });

  it('reads a missing or empty list as no keys', () => {
    expect(parseOrderBy(undefined)).toStrictEqual([]);
    expect(parseOrderBy([])).toStrictEqual([]);
  });

  const REFUSED_ORDERS: [string[], string, number, number][] = [
    // From contracts/mlflow-2.17-errors.txt ("search runs (bad order_by)").
    [['metrics.b SIDEWAYS'], "Invalid ordering key in order_by clause 'metrics.b SIDEWAYS'. (at position 10", 0, 10],
    [['metrics.a DESC', 'run name'], "Invalid ordering key in order_by clause 'run name'.", 1, 4],
    [['metrics.b DESC x'], "Invalid order_by clause 'metrics.b DESC x'. Could not be parsed.", 0, 15],
    [['metrics.b, metrics.c'], "Invalid order_by clause 'metrics.b, metrics.c'. Could not be parsed.", 0, 9],
    [[''], "Invalid order_by clause ''. Could not be parsed.", 0, 0],
    [['metrics.b = 1'], "Invalid order_by clause 'metrics.b = 1'. Could not be parsed.", 0, 10],
    [['x.b'], "Invalid entity type 'x'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']", 0, 0],
    [['attributes.lifecycle_stage'], "Invalid attribute key 'lifecycle_stage' specified.", 0, 11],
    [['timestamp'], "Invalid attribute key 'timestamp' specified.", 0, 0],
    [['datasets.name'], "Invalid identifier type 'dataset'", 0, 0],
  ];

  it.each(REFUSED_ORDERS)('refuses %j', (items, prefix, index, position) => {
    const error = caught(() => parseOrderBy(items));
    expect(error.message.startsWith(prefix), `${error.message}\n  should start with\n${prefix}`).toBe(true);
    expect(error.orderByIndex).toBe(index);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`at position ${position} of order_by[${index}]`);
  });

  it('answers the contract order_by request with exactly MLflow 2.17 text', () => {
    const error = caught(() => parseOrderBy(['metrics.b SIDEWAYS']));
    expect(error.mlflowMessage).toBe("Invalid ordering key in order_by clause 'metrics.b SIDEWAYS'.");
  });
});

// Round trip: any clause list, written in any of the spellings MLflow accepts, parses back to itself.
const bareName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((name) => !/^(and|or|not)$/i.test(name));
const anyName = fc.string({ minLength: 1, maxLength: 10 });
const text = fc.string({ maxLength: 10 });
const number = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true }));

const quoteName = (name: string, style: number): string => {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && style === 0) return name;
  return style % 2 === 0 ? `"${name.replace(/["\\]/g, '\\$&')}"` : `\`${name.replace(/`/g, '``')}\``;
};
const quoteValue = (value: string, style: number): string =>
  style === 0 ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `"${value.replace(/["\\]/g, '\\$&')}"`;

const clause = fc.oneof(
  fc.record({
    entity: fc.constant('metric' as const),
    key: fc.oneof(bareName, anyName),
    comparator: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const),
    value: number,
  }),
  fc.record({
    entity: fc.constantFrom('param' as const, 'tag' as const),
    key: fc.oneof(bareName, anyName),
    comparator: fc.constantFrom('=', '!=', 'LIKE', 'ILIKE' as const),
    value: text,
  }),
  fc.record({
    entity: fc.constant('attribute' as const),
    key: fc.constantFrom('run_name', 'status', 'user_id', 'artifact_uri'),
    comparator: fc.constantFrom('=', '!=', 'LIKE', 'ILIKE' as const),
    value: text,
  }),
  fc.record({
    entity: fc.constant('attribute' as const),
    key: fc.constant('run_id'),
    comparator: fc.constantFrom('IN', 'NOT IN' as const),
    value: fc.array(text, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    entity: fc.constant('dataset' as const),
    key: fc.constantFrom('name', 'digest', 'context'),
    comparator: fc.constantFrom('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN' as const),
    value: text,
  }),
);

const PREFIXES: Record<string, string[]> = {
  metric: ['metrics', 'metric', '`metrics`'],
  param: ['params', 'param', 'parameter', 'parameters'],
  tag: ['tags', 'tag'],
  attribute: ['attributes', 'attribute', 'attr', 'run', ''],
  dataset: ['datasets', 'dataset'],
};

describe('parseRunFilter round trip', () => {
  it('parses back what it is given, whatever the spelling', () => {
    const spelled = fc.array(fc.tuple(clause, fc.nat(3), fc.nat(3), fc.constantFrom(' ', '  ', '\n', '\t')), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(spelled, fc.constantFrom('AND', 'and', 'And'), (clauses, and) => {
        let source = '';
        const expected: FilterClause[] = [];
        for (const [index, [c, style, prefixChoice, space]] of clauses.entries()) {
          if (index > 0) source += `${space}${and}${space}`;
          const prefixes = PREFIXES[c.entity] as string[];
          const prefix = prefixes[prefixChoice % prefixes.length] as string;
          const listed = c.comparator === 'IN' || c.comparator === 'NOT IN';
          const raw: FilterClause['value'] =
            listed && !Array.isArray(c.value) ? [c.value as string] : (c.value as FilterClause['value']);
          const value = raw === 0 ? 0 : raw;
          const written =
            typeof value === 'number'
              ? String(value)
              : Array.isArray(value)
                ? `(${value.map((item) => quoteValue(item, 0)).join(', ')})`
                : quoteValue(value, style % 2);
          const name = prefix === '' ? c.key : `${prefix}.${quoteName(c.key, style)}`;
          expected.push({ entity: c.entity, key: c.key, comparator: c.comparator, value, position: source.length });
          source += `${name}${space}${c.comparator}${space}${written}`;
        }
        expect(parseRunFilter(source)).toStrictEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any text only with a FilterSyntaxError whose position lies within the text', () => {
    const alphabet = fc.constantFrom(...'metrics.params\'"`()=<>!, ANDORIN0123456789-_;\n'.split(''));
    const noise = fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 }));
    fc.assert(
      fc.property(noise, (source) => {
        try {
          parseRunFilter(source);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterSyntaxError);
          const position = (error as FilterSyntaxError).position as number;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(source.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
