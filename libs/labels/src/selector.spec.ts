import { describe, expect, it } from '@jest/globals';
import {
  formatSelector,
  matchesSelector,
  MAX_SELECTOR_LENGTH,
  parseSelector,
  SelectorError,
  type Requirement,
  type Selector,
  type SelectorOperator,
} from './index.js';

const req = (key: string, operator: SelectorOperator, ...values: string[]): Requirement => ({
  key,
  operator,
  values,
});

const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const OPERATOR_EXPECTED = `expected an operator ('=', '==', '!=', 'in', 'notin', '>', '<'), ',' or end of string after label key`;
const INTEGER_RULE = 'must be an integer from 0 to 9223372036854775807';

function parseError(input: string): SelectorError {
  try {
    parseSelector(input);
  } catch (error) {
    if (error instanceof SelectorError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseSelector', () => {
  it.each<[string, Selector]>([
    ['env=prod', [req('env', 'Equals', 'prod')]],
    ['env==prod', [req('env', 'Equals', 'prod')]],
    ['env!=prod', [req('env', 'NotEquals', 'prod')]],
    ['env in (prod)', [req('env', 'In', 'prod')]],
    ['env in (prod,staging)', [req('env', 'In', 'prod', 'staging')]],
    ['env in (staging,prod,staging)', [req('env', 'In', 'prod', 'staging')]],
    ['env notin (dev,test)', [req('env', 'NotIn', 'dev', 'test')]],
    ['env notin (test,dev,dev)', [req('env', 'NotIn', 'dev', 'test')]],
    ['env', [req('env', 'Exists')]],
    ['!env', [req('env', 'DoesNotExist')]],
    ['! env', [req('env', 'DoesNotExist')]],
    ['app.kubernetes.io/name=web', [req('app.kubernetes.io/name', 'Equals', 'web')]],
    ['fleetwave.io/wave in (3,1,2)', [req('fleetwave.io/wave', 'In', '1', '2', '3')]],
    ['!fleetwave.io/paused', [req('fleetwave.io/paused', 'DoesNotExist')]],
    ['App_1.x-Y=V_1.x-Z', [req('App_1.x-Y', 'Equals', 'V_1.x-Z')]],
    ['version=1.2.3', [req('version', 'Equals', '1.2.3')]],
    ['env=prod,tier!=db', [req('env', 'Equals', 'prod'), req('tier', 'NotEquals', 'db')]],
    ['tier!=db,env=prod', [req('env', 'Equals', 'prod'), req('tier', 'NotEquals', 'db')]],
    [
      'b,!a,c in (x),d notin (y),e=1,f!=2',
      [
        req('a', 'DoesNotExist'),
        req('b', 'Exists'),
        req('c', 'In', 'x'),
        req('d', 'NotIn', 'y'),
        req('e', 'Equals', '1'),
        req('f', 'NotEquals', '2'),
      ],
    ],
    // Same key: sorted by operator, then by values; duplicates are kept, as in apimachinery.
    [
      '!k,k,k notin (b),k in (a),k!=y,k=x',
      [
        req('k', 'Equals', 'x'),
        req('k', 'NotEquals', 'y'),
        req('k', 'In', 'a'),
        req('k', 'NotIn', 'b'),
        req('k', 'Exists'),
        req('k', 'DoesNotExist'),
      ],
    ],
    ['k in (y),k in (x)', [req('k', 'In', 'x'), req('k', 'In', 'y')]],
    ['a=b,a=b', [req('a', 'Equals', 'b'), req('a', 'Equals', 'b')]],
    // `in` and `notin` are keywords only in operator position.
    ['in', [req('in', 'Exists')]],
    ['!notin', [req('notin', 'DoesNotExist')]],
    ['a=in', [req('a', 'Equals', 'in')]],
    ['in in (in,notin)', [req('in', 'In', 'in', 'notin')]],
    ['notin notin (notin)', [req('notin', 'NotIn', 'notin')]],
    ['in=notin', [req('in', 'Equals', 'notin')]],
    // Empty values, exactly where apimachinery allows them.
    ['a=', [req('a', 'Equals', '')]],
    ['a==', [req('a', 'Equals', '')]],
    ['a!=', [req('a', 'NotEquals', '')]],
    ['a=,b', [req('a', 'Equals', ''), req('b', 'Exists')]],
    ['a!= ,b', [req('a', 'NotEquals', ''), req('b', 'Exists')]],
    ['a in (,)', [req('a', 'In', '')]],
    ['a in (,,)', [req('a', 'In', '')]],
    ['a in (x,)', [req('a', 'In', '', 'x')]],
    ['a in (,x)', [req('a', 'In', '', 'x')]],
    ['a notin (x,,y)', [req('a', 'NotIn', '', 'x', 'y')]],
    ['a notin (x,,,)', [req('a', 'NotIn', '', 'x')]],
    // `()` is the set holding only the empty value, as apimachinery's parseValues makes it.
    ['a in ()', [req('a', 'In', '')]],
    ['a notin ()', [req('a', 'NotIn', '')]],
    ['a notin ( )', [req('a', 'NotIn', '')]],
    ['a in(),b notin()', [req('a', 'In', ''), req('b', 'NotIn', '')]],
    [
      'x notin (abc,,def),bar,z in (),w',
      [req('bar', 'Exists'), req('w', 'Exists'), req('x', 'NotIn', '', 'abc', 'def'), req('z', 'In', '')],
    ],
    // `>` and `<` on integers, kept as written.
    ['a>1', [req('a', 'Gt', '1')]],
    ['a<1', [req('a', 'Lt', '1')]],
    ['a > 0', [req('a', 'Gt', '0')]],
    ['a\t<\n10', [req('a', 'Lt', '10')]],
    ['a>007', [req('a', 'Gt', '007')]],
    ['a>9223372036854775807', [req('a', 'Gt', '9223372036854775807')]],
    ['fleetwave.io/node-count>2', [req('fleetwave.io/node-count', 'Gt', '2')]],
    ['key>1,other<2', [req('key', 'Gt', '1'), req('other', 'Lt', '2')]],
    [
      'n<9,n>1,n,n!=5',
      [req('n', 'NotEquals', '5'), req('n', 'Exists'), req('n', 'Gt', '1'), req('n', 'Lt', '9')],
    ],
    ['in>1', [req('in', 'Gt', '1')]],
    // Length limits of the label rules.
    [`${'k'.repeat(63)}=${'v'.repeat(63)}`, [req('k'.repeat(63), 'Equals', 'v'.repeat(63))]],
    [`${'p.'.repeat(126)}p/name`, [req(`${'p.'.repeat(126)}p/name`, 'Exists')]],
  ])('parses %j', (input, expected) => {
    expect(parseSelector(input)).toEqual(expected);
  });

  it.each([[''], [' '], ['\t\n\r '], [' '.repeat(MAX_SELECTOR_LENGTH)]])(
    'parses %j as the empty selector',
    (input) => {
      expect(parseSelector(input)).toEqual([]);
    },
  );

  const spaced: Selector = [
    req('a', 'Equals', 'b'),
    req('c', 'In', 'x', 'y'),
    req('d', 'NotEquals', 'e'),
    req('f', 'Exists'),
    req('g', 'DoesNotExist'),
  ];
  it.each([
    ['a=b,c in (x,y),d!=e,f,!g'],
    [' a = b , c in ( x , y ) , d != e , f , ! g '],
    ['\ta=b,\nc in(x,y),\r\nd !=e,f\t,!g\n'],
    ['a==b,c   in   (x,y),d!=  e,f,!g'],
    ['a ==b,c in(x ,y ),d!= e,f ,! g'],
    ['c in (y,x,y),a == b,d!=e,!g,f'],
    ['!g,f,d!=e,c in (x,y),a=b'],
  ])('ignores whitespace and order in %j', (input) => {
    expect(parseSelector(input)).toEqual(spaced);
  });

  it(`accepts exactly ${MAX_SELECTOR_LENGTH} characters`, () => {
    const input = 'a=b'.padEnd(MAX_SELECTOR_LENGTH, ' ');
    expect(parseSelector(input)).toEqual([req('a', 'Equals', 'b')]);
  });

  it.each<[string, number, string]>([
    // Structure
    [',', 0, "expected a label key or '!', found ','"],
    [',a', 0, "expected a label key or '!', found ','"],
    ['=b', 0, "expected a label key or '!', found '='"],
    ['(a)', 0, "expected a label key or '!', found '('"],
    [')', 0, "expected a label key or '!', found ')'"],
    ['a,', 2, "expected a label key or '!' after ',', found end of string"],
    ['a=b,', 4, "expected a label key or '!' after ',', found end of string"],
    ['a=b, ', 5, "expected a label key or '!' after ',', found end of string"],
    ['a=b,,c=d', 4, "expected a label key or '!' after ',', found ','"],
    ['a,,b', 2, "expected a label key or '!' after ',', found ','"],
    ['a in (x),', 9, "expected a label key or '!' after ',', found end of string"],
    ['!', 1, "expected a label key after '!', found end of string"],
    ['!!a', 1, "expected a label key after '!', found '!'"],
    ['!=a', 0, "expected a label key or '!', found '!='"],
    ['!a=b', 2, "expected ',' or end of string after '!a', found '='"],
    ['!a in (x)', 3, "expected ',' or end of string after '!a', found 'in'"],
    ['!a b', 3, "expected ',' or end of string after '!a', found 'b'"],
    ['a=b c=d', 4, "expected ',' or end of string, found 'c'"],
    ['a=b=c', 3, "expected ',' or end of string, found '='"],
    ['a=b)', 3, "expected ',' or end of string, found ')'"],
    ['a=b!', 3, "expected ',' or end of string, found '!'"],
    // Operators
    ['a b', 2, `${OPERATOR_EXPECTED} "a", found 'b'`],
    ['a b c', 2, `${OPERATOR_EXPECTED} "a", found 'b'`],
    ['a (x)', 2, `${OPERATOR_EXPECTED} "a", found '('`],
    ['a ! b', 2, `${OPERATOR_EXPECTED} "a", found '!'`],
    ['a gt 1', 2, `${OPERATOR_EXPECTED} "a", found 'gt'`],
    ['a===b', 3, "expected a value after '==', found '='"],
    ['a!==b', 3, "expected a value after '!=', found '='"],
    ['a = = b', 4, "expected a value after '=', found '='"],
    ['a=!b', 2, "expected a value after '=', found '!'"],
    ['a=(b)', 2, "expected a value after '=', found '('"],
    ['a!=)', 3, "expected a value after '!=', found ')'"],
    // Value lists
    ['a in', 4, "expected '(' after 'in', found end of string"],
    ['a in x', 5, "expected '(' after 'in', found 'x'"],
    ['a in x)', 5, "expected '(' after 'in', found 'x'"],
    ['a in in (x)', 5, "expected '(' after 'in', found 'in'"],
    ['a notin x', 8, "expected '(' after 'notin', found 'x'"],
    ['a in ()x', 7, "expected ',' or end of string, found 'x'"],
    ['a in (', 6, "expected a value, ',' or ')', found end of string"],
    ['a in (x', 7, "expected ',' or ')', found end of string"],
    ['a in (x y)', 8, "expected ',' or ')', found 'y'"],
    ['a in (x))', 8, "expected ',' or end of string, found ')'"],
    ['a in ((x))', 6, "expected a value, ',' or ')', found '('"],
    ['a in (x,=)', 8, "expected a value, ',' or ')', found '='"],
    ['a in (,', 7, "expected a value, ',' or ')', found end of string"],
    ['a in (x,', 8, "expected a value, ',' or ')', found end of string"],
    ['a notin (x,!y)', 11, "expected a value, ',' or ')', found '!'"],
    // Integers after '>' and '<'
    ['a>', 2, "expected an integer after '>', found end of string"],
    ['a< ', 3, "expected an integer after '<', found end of string"],
    ['a>,b', 2, "expected an integer after '>', found ','"],
    ['a >= 1', 3, "expected an integer after '>', found '='"],
    ['a<(1)', 2, "expected an integer after '<', found '('"],
    ['a>abc', 2, `the value of '>' ${INTEGER_RULE}, found "abc"`],
    ['a<1.5', 2, `the value of '<' ${INTEGER_RULE}, found "1.5"`],
    ['a>1e3', 2, `the value of '>' ${INTEGER_RULE}, found "1e3"`],
    ['a>0x10', 2, `the value of '>' ${INTEGER_RULE}, found "0x10"`],
    // apimachinery: ParseInt accepts "-1" and "+1", but they are not valid label values.
    ['a>-1', 2, `the value of '>' ${INTEGER_RULE}, found "-1"`],
    ['a<+1', 2, `the value of '<' ${INTEGER_RULE}, found "+1"`],
    ['a>9223372036854775808', 2, `the value of '>' ${INTEGER_RULE}, found "9223372036854775808"`],
    ['key>1,other<x', 12, `the value of '<' ${INTEGER_RULE}, found "x"`],
    ['a>1>2', 3, "expected ',' or end of string, found '>'"],
    ['a>1 2', 4, "expected ',' or end of string, found '2'"],
    ['a<>1', 2, "expected an integer after '<', found '>'"],
    ['!a>1', 2, "expected ',' or end of string after '!a', found '>'"],
    ['>1', 0, "expected a label key or '!', found '>'"],
    // Keys
    ['a&b=c', 0, `invalid label key "a&b": name part ${NAME_RULE}`],
    ['x=1,-a=b', 4, `invalid label key "-a": name part ${NAME_RULE}`],
    ['!a_', 1, `invalid label key "a_": name part ${NAME_RULE}`],
    ['a/b/c=d', 0, `invalid label key "a/b/c": name part ${NAME_RULE}`],
    ['a\u00a0=b', 0, `invalid label key "a\u00a0": name part ${NAME_RULE}`],
    [
      'Example.com/a',
      0,
      'invalid label key "Example.com/a": prefix part must be a lowercase DNS-1123 subdomain',
    ],
    ['/a in (x)', 0, 'invalid label key "/a": prefix part must be non-empty'],
    ['a/', 0, 'invalid label key "a/": name part must be non-empty'],
    [
      `x,${'k'.repeat(64)}`,
      2,
      `invalid label key "${'k'.repeat(64)}": name part must be no more than 63 characters`,
    ],
    // Values
    ['a=-b', 2, `invalid label value "-b": value ${NAME_RULE}`],
    ['a = b.', 4, `invalid label value "b.": value ${NAME_RULE}`],
    ['a=b&c', 2, `invalid label value "b&c": value ${NAME_RULE}`],
    ['a=b;c=d', 2, `invalid label value "b;c": value ${NAME_RULE}`],
    ['a==é', 3, `invalid label value "é": value ${NAME_RULE}`],
    ['a in (x,y_)', 8, `invalid label value "y_": value ${NAME_RULE}`],
    ['a notin (ok, -bad)', 13, `invalid label value "-bad": value ${NAME_RULE}`],
    [
      `a=${'v'.repeat(64)}`,
      2,
      `invalid label value "${'v'.repeat(64)}": value must be no more than 63 characters`,
    ],
    // Length
    [
      'a=b'.padEnd(MAX_SELECTOR_LENGTH + 1, ' '),
      MAX_SELECTOR_LENGTH,
      `selector must be no more than ${MAX_SELECTOR_LENGTH} characters`,
    ],
  ])('rejects %j at %i: %s', (input, position, reason) => {
    const error = parseError(input);
    expect({ input: error.input, position: error.position, reason: error.reason }).toEqual({
      input,
      position,
      reason,
    });
  });

  it('reports errors as SelectorError with a readable message', () => {
    const error = parseError('a in (x');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SelectorError');
    expect(error.message).toBe(
      `invalid selector "a in (x": at position 7: expected ',' or ')', found end of string`,
    );
  });

  it('shortens very long inputs in the message but keeps them whole in .input', () => {
    const input = 'x'.repeat(MAX_SELECTOR_LENGTH + 1);
    const error = parseError(input);
    expect(error.input).toBe(input);
    expect(error.message).toBe(
      `invalid selector "${'x'.repeat(200)}"... (4097 characters): at position 4096: selector must be no more than 4096 characters`,
    );
  });
});

describe('formatSelector', () => {
  it.each([
    ['', ''],
    ['env=prod', 'env=prod'],
    ['env==prod', 'env=prod'],
    [' env != prod ', 'env!=prod'],
    ['env in ( b , a , b )', 'env in (a,b)'],
    ['env notin (a)', 'env notin (a)'],
    ['env', 'env'],
    [' ! env', '!env'],
    ['a=', 'a='],
    ['a!=', 'a!='],
    ['a=,b', 'a=,b'],
    ['a in (,)', 'a in ()'],
    ['a in ()', 'a in ()'],
    ['a notin ( )', 'a notin ()'],
    ['a>1', 'a>1'],
    [' a < 007 ', 'a<007'],
    ['z<8,y>2,x', 'x,y>2,z<8'],
    ['n<9,n>1,n', 'n,n>1,n<9'],
    ['a in (x,)', 'a in (,x)'],
    ['a notin (x,,y)', 'a notin (,x,y)'],
    ['in in (in)', 'in in (in)'],
    ['notin notin (notin),in', 'in,notin notin (notin)'],
    ['z,y=1,!x,w in (a,b),v notin (c)', 'v notin (c),w in (a,b),!x,y=1,z'],
    ['!k,k,k notin (b),k in (a),k!=y,k=x', 'k=x,k!=y,k in (a),k notin (b),k,!k'],
    ['a=b,a=b', 'a=b,a=b'],
    [
      'fleetwave.io/wave=2,app.kubernetes.io/name in (web,api)',
      'app.kubernetes.io/name in (api,web),fleetwave.io/wave=2',
    ],
  ])('formats %j as %j and round-trips', (input, canonical) => {
    const parsed = parseSelector(input);
    expect(formatSelector(parsed)).toBe(canonical);
    expect(parseSelector(canonical)).toEqual(parsed);
    expect(formatSelector(parseSelector(canonical))).toBe(canonical);
  });

  it('canonicalises hand-built selectors (requirement order, value order, duplicates)', () => {
    const selector: Selector = [req('b', 'In', 'y', 'x', 'y'), req('a', 'NotEquals', 'q')];
    expect(formatSelector(selector)).toBe('a!=q,b in (x,y)');
  });

  it.each<[string, Requirement, string]>([
    ['Equals without value', req('a', 'Equals'), 'operator Equals takes exactly one value'],
    [
      'NotEquals with two values',
      req('a', 'NotEquals', 'x', 'y'),
      'operator NotEquals takes exactly one value',
    ],
    ['In without values', req('a', 'In'), 'operator In takes at least one value'],
    ['Exists with a value', req('a', 'Exists', 'x'), 'operator Exists takes no values'],
    ['an invalid key', req('a b', 'Exists'), `invalid label key: name part ${NAME_RULE}`],
    ['an invalid value', req('a', 'In', 'ok', 'x y'), `invalid label value "x y": value ${NAME_RULE}`],
    ['an unknown operator', req('a', 'Ge' as string as SelectorOperator, '1'), 'unknown operator "Ge"'],
    ['Gt without value', req('a', 'Gt'), 'operator Gt takes exactly one value'],
    ['Lt with two values', req('a', 'Lt', '1', '2'), 'operator Lt takes exactly one value'],
    ['Gt on a word', req('a', 'Gt', 'x'), 'operator Gt takes an integer, not "x"'],
    ['Lt on a negative number', req('a', 'Lt', '-1'), `invalid label value "-1": value ${NAME_RULE}`],
  ])('refuses a requirement with %s', (_what, requirement, problem) => {
    expect(() => formatSelector([requirement])).toThrow(
      new TypeError(`cannot format requirement on key ${JSON.stringify(requirement.key)}: ${problem}`),
    );
  });
});

describe('matchesSelector', () => {
  // Label sets: key absent, key with the listed value, key with another value, key with the empty value.
  const absent = {};
  const same = { k: 'v', other: 'x' };
  const different = { k: 'w' };
  const empty = { k: '' };
  it.each<[string, boolean, boolean, boolean, boolean]>([
    // selector       absent  same   other  empty
    ['k=v', false, true, false, false],
    ['k==v', false, true, false, false],
    ['k!=v', true, false, true, true],
    ['k in (v,x)', false, true, false, false],
    ['k notin (v,x)', true, false, true, true],
    ['k', false, true, true, true],
    ['!k', true, false, false, false],
    ['k=', false, false, false, true],
    ['k!=', true, true, true, false],
    ['k in (,v)', false, true, false, true],
    ['k notin (,v)', true, false, true, false],
    ['k in ()', false, false, false, true],
    ['k notin ()', true, true, true, false],
    ['', true, true, true, true],
  ])('%j → absent:%s same:%s other:%s empty:%s', (input, onAbsent, onSame, onDifferent, onEmpty) => {
    const selector = parseSelector(input);
    expect([absent, same, different, empty].map((labels) => matchesSelector(selector, labels))).toEqual([
      onAbsent,
      onSame,
      onDifferent,
      onEmpty,
    ]);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['env=prod,tier=web', { env: 'prod', tier: 'web' }, true],
    ['env=prod,tier=web', { env: 'prod', tier: 'web', extra: 'x' }, true],
    ['env=prod,tier=web', { env: 'prod' }, false],
    ['env=prod,tier=web', { tier: 'web' }, false],
    ['env in (prod,staging),!paused', { env: 'staging' }, true],
    ['env in (prod,staging),!paused', { env: 'staging', paused: 'true' }, false],
    ['env notin (dev),region', { region: 'eu' }, true],
    ['env notin (dev),region', { env: 'dev', region: 'eu' }, false],
    ['k=a,k=b', { k: 'a' }, false],
    ['k,k!=a', { k: 'b' }, true],
    // Only own properties are labels: nothing is inherited from Object.prototype.
    ['constructor', {}, false],
    ['!constructor', {}, true],
    ['toString!=x', {}, true],
    ['hasOwnProperty in (x)', {}, false],
    ['constructor=x', { constructor: 'x' }, true],
  ])('%j on %j → %s', (input, labels, expected) => {
    expect(matchesSelector(parseSelector(input), labels)).toBe(expected);
  });

  it.each<[string, string | undefined, boolean]>([
    // selector, label value (undefined: key absent), matches
    ['n>1', '2', true],
    ['n>1', '1', false],
    ['n>1', '0', false],
    ['n<1', '0', true],
    ['n<1', '1', false],
    ['n>1', undefined, false],
    ['n<1', undefined, false],
    ['n>1', '', false],
    ['n<1', '', false],
    ['n>1', 'v2', false],
    ['n<9', '1.5', false],
    ['n<9', ' 1', false],
    ['n<9', '0x1', false],
    // Compared as numbers, not text: leading zeros and digit counts do not matter.
    ['n>9', '10', true],
    ['n<10', '9', true],
    ['n>007', '8', true],
    ['n>7', '0008', true],
    ['n<8', '007', true],
    // ParseInt's signs, on label sets the caller did not validate.
    ['n<0', '-5', true],
    ['n>4', '+5', true],
    // Beyond int64 a value is not an integer (ParseInt fails), so it matches neither way.
    ['n>9223372036854775806', '9223372036854775807', true],
    ['n>1', '9223372036854775808', false],
    ['n<1', '-9223372036854775809', false],
    ['n<1', '-9223372036854775808', true],
    ['n>1', '99999999999999999999', false],
  ])('%j on n=%j → %s', (input, value, expected) => {
    const labels: Record<string, string> = value === undefined ? {} : { n: value };
    expect(matchesSelector(parseSelector(input), labels)).toBe(expected);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['n>1,n<5', { n: '3' }, true],
    ['n>1,n<5', { n: '5' }, false],
    ['n>3,n<2', { n: '2' }, false],
    ['n>1,!m', { n: '2', m: 'x' }, false],
  ])('%j on %j → %s', (input, labels, expected) => {
    expect(matchesSelector(parseSelector(input), labels)).toBe(expected);
  });

  it('never matches a hand-built Gt/Lt requirement whose bound is not one integer', () => {
    expect(matchesSelector([req('n', 'Gt', 'x')], { n: '5' })).toBe(false);
    expect(matchesSelector([req('n', 'Lt', '7', '8')], { n: '5' })).toBe(false);
    expect(matchesSelector([req('n', 'Gt')], { n: '5' })).toBe(false);
  });

  it('accepts prototype-less label objects', () => {
    const labels: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
      env: 'prod',
    });
    expect(matchesSelector(parseSelector('env=prod,!x'), labels)).toBe(true);
  });

  it('matches hand-built requirements with unsorted values', () => {
    expect(matchesSelector([req('k', 'In', 'z', 'a')], { k: 'a' })).toBe(true);
  });
});
