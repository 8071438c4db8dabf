import { describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import type { ConnectorKind } from './connector.js';
import { checkSingleSelect } from './read-only-sql.js';

function refusal(sql: string, kind?: ConnectorKind): ModelyardError | undefined {
  try {
    checkSingleSelect(sql, kind);
    return undefined;
  } catch (error) {
    if (error instanceof ModelyardError) return error;
    throw error;
  }
}

describe('checkSingleSelect', () => {
  it.each([
    'SELECT 1',
    'select 1;',
    '  -- a comment\n  SELECT 1 ;  ',
    'SELECT 1; -- trailing comment',
    '(SELECT 1) UNION (SELECT 2)',
    'WITH a AS (SELECT 1 AS x) SELECT * FROM a',
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r',
    "SELECT 'a; DROP TABLE t' AS s",
    "SELECT 'it''s; DELETE FROM t' AS s",
    'SELECT "weird; DELETE FROM t" FROM t',
    'SELECT 1 /* ; DELETE FROM t */',
    "SELECT E'\\'; DELETE FROM t; --' AS s",
    'SELECT x FROM t WHERE updated_at > now() ORDER BY for_update',
    // A write inside a CTE passes here: the read-only transaction refuses it with a precise server message.
    'WITH w AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM w',
  ])('accepts %j', (sql) => {
    expect(refusal(sql)).toBeUndefined();
  });

  it.each([
    ['DELETE FROM t', /starts with 'DELETE'/],
    ['SELECT 1; DROP TABLE t', /more than one statement/],
    ['SELECT 1;;', /more than one statement/],
    ["SELECT 'a'; SELECT 'b'", /more than one statement/],
    ['', /empty/],
    ['  ; ', /empty/],
    ['-- only a comment', /empty/],
    ['INSERT INTO t SELECT 1', /starts with 'INSERT'/],
    ['UPDATE t SET x = 1', /starts with 'UPDATE'/],
    ['VALUES (1)', /starts with 'VALUES'/],
    ['EXPLAIN ANALYZE DELETE FROM t', /starts with 'EXPLAIN'/],
    ['CALL p()', /starts with 'CALL'/],
    ['SELECT * INTO new_t FROM t', /INTO/],
    ['SELECT 1 INTO @x', /INTO/],
    ["SELECT * FROM t INTO OUTFILE '/tmp/x'", /INTO/],
    ['SELECT * FROM t FOR UPDATE', /FOR UPDATE/],
    ['select * from t for no key update', /FOR NO KEY UPDATE/],
    ['SELECT * FROM t FOR SHARE', /FOR SHARE/],
    ['SELECT * FROM t LOCK IN SHARE MODE', /LOCK IN SHARE MODE/],
    ['WITH a AS (SELECT 1) DELETE FROM t', /WITH is followed by DELETE/],
    ['WITH a AS (SELECT 1) UPDATE t SET x = 1', /WITH is followed by UPDATE/],
    ['WITH a AS (SELECT 1)', /not followed by SELECT/],
    ["SELECT 1 /*! INTO OUTFILE '/tmp/x' */", /executable comments/],
    ['SELECT 1 /*M!100000 ; DROP TABLE t */', /executable comments/],
  ])('refuses %j', (sql, reason) => {
    const error = refusal(sql);
    expect(error).toMatchObject({ status: 400, code: 'not_a_select' });
    expect(error?.message).toMatch(reason);
  });

  it('follows the lexical rules of the dialect it is given, and of both without one', () => {
    // '#' starts a comment in MySQL but is an operator in PostgreSQL, which would then see a second statement.
    const hash = 'SELECT 5 # 3; DROP TABLE t';
    expect(refusal(hash, 'mysql')).toBeUndefined();
    expect(refusal(hash, 'postgres')?.code).toBe('not_a_select');
    expect(refusal(hash)?.code).toBe('not_a_select');
    // A backslash escapes a quote in MySQL strings only.
    const backslash = "SELECT 'a\\'; DROP TABLE t; -- '";
    expect(refusal(backslash, 'mysql')).toBeUndefined();
    expect(refusal(backslash, 'postgres')?.code).toBe('not_a_select');
    expect(refusal(backslash)?.code).toBe('not_a_select');
    // PostgreSQL block comments nest; MySQL's end at the first */.
    const nested = 'SELECT 1 /* a /* b */ ; DELETE FROM t */';
    expect(refusal(nested, 'postgres')).toBeUndefined();
    expect(refusal(nested, 'mysql')?.code).toBe('not_a_select');
    // Dollar quoting exists in PostgreSQL only.
    const dollar = 'SELECT $tag$; DELETE FROM t$tag$';
    expect(refusal(dollar, 'postgres')).toBeUndefined();
    expect(refusal(dollar, 'mysql')?.code).toBe('not_a_select');
  });
});
