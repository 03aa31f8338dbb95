import { labelKeyError, labelValueError } from './label.js';
import { INT64_MAX, parseInt64 } from './selector-integer.js';
import { describeToken, tokenize, type Token } from './selector-lexer.js';
import {
  compareRequirements,
  MAX_SELECTOR_LENGTH,
  SelectorError,
  sortedUnique,
  type Requirement,
  type Selector,
  type SelectorOperator,
} from './selector-types.js';

/**
 * Parses kubectl label-selector syntax, following k8s.io/apimachinery/pkg/labels.Parse:
 *
 *   selector    ::= "" | requirement ("," requirement)*
 *   requirement ::= "!" KEY | KEY | KEY ("=" | "==" | "!=") [VALUE] | KEY (">" | "<") INTEGER
 *                 | KEY ("in" | "notin") "(" values ")"
 *   values      ::= [VALUE] ("," [VALUE])*          (an omitted VALUE is the empty string)
 *
 * `in` and `notin` are keywords only in operator position, so `in in (in)` is valid. The INTEGER of
 * `>`/`<` must be a valid label value that ParseInt reads as an int64, so it is 0..2^63-1 written in
 * digits (apimachinery's NewRequirement checks both, so `-1` is refused as a label value).
 * Requirements come back sorted by key, then operator, then values. Throws SelectorError.
 */
export function parseSelector(input: string): Selector {
  if (input.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(
      input,
      MAX_SELECTOR_LENGTH,
      `selector must be no more than ${MAX_SELECTOR_LENGTH} characters`,
    );
  }
  return new Parser(input, tokenize(input)).parse().sort(compareRequirements);
}

/** In key and value positions the keywords are plain identifiers. */
function isWord(token: Token): boolean {
  return token.kind === 'identifier' || token.kind === 'in' || token.kind === 'notin';
}

const OPERATOR_TOKENS: Readonly<Partial<Record<Token['kind'], SelectorOperator>>> = {
  '=': 'Equals',
  '==': 'Equals',
  '!=': 'NotEquals',
  in: 'In',
  notin: 'NotIn',
  '>': 'Gt',
  '<': 'Lt',
};

class Parser {
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    let afterComma = false;
    for (;;) {
      requirements.push(this.requirement(afterComma));
      const separator = this.next();
      if (separator.kind === 'end') return requirements;
      if (separator.kind !== ',') {
        throw this.error(separator, `expected ',' or end of string, found ${describeToken(separator)}`);
      }
      afterComma = true;
    }
  }

  private requirement(afterComma: boolean): Requirement {
    const first = this.peek();
    if (first.kind === '!') {
      this.next();
      const key = this.key(`expected a label key after '!'`);
      const following = this.peek();
      if (following.kind !== ',' && following.kind !== 'end') {
        throw this.error(
          following,
          `expected ',' or end of string after '!${key}', found ${describeToken(following)}`,
        );
      }
      return { key, operator: 'DoesNotExist', values: [] };
    }
    const key = this.key(
      afterComma ? `expected a label key or '!' after ','` : `expected a label key or '!'`,
    );
    const opToken = this.peek();
    if (opToken.kind === ',' || opToken.kind === 'end') return { key, operator: 'Exists', values: [] };
    this.next();
    const operator = OPERATOR_TOKENS[opToken.kind];
    if (operator === undefined) {
      throw this.error(
        opToken,
        `expected an operator ('=', '==', '!=', 'in', 'notin', '>', '<'), ',' or end of string after label key "${key}", found ${describeToken(opToken)}`,
      );
    }
    return { key, operator, values: this.values(operator, opToken.text) };
  }

  private values(operator: SelectorOperator, text: string): string[] {
    switch (operator) {
      case 'In':
      case 'NotIn':
        return this.valueList(text);
      case 'Gt':
      case 'Lt':
        return [this.integerValue(text)];
      default:
        return [this.exactValue(text)];
    }
  }

  /** Consumes and validates a label key. */
  private key(expected: string): string {
    const token = this.next();
    if (!isWord(token)) throw this.error(token, `${expected}, found ${describeToken(token)}`);
    const problem = labelKeyError(token.text);
    if (problem !== undefined) throw this.error(token, `invalid label key "${token.text}": ${problem}`);
    return token.text;
  }

  /** The value after `=`, `==` or `!=`; absent (`a=`, `a=,b`) means the empty string, as in apimachinery. */
  private exactValue(operator: string): string {
    const token = this.peek();
    if (token.kind === ',' || token.kind === 'end') return '';
    this.next();
    if (!isWord(token)) {
      throw this.error(token, `expected a value after '${operator}', found ${describeToken(token)}`);
    }
    return this.validValue(token);
  }

  /**
   * The integer after `>` or `<`, kept as written (`007` stays `007`, as in apimachinery's String()).
   * Unlike `=`, an absent value is an error: apimachinery reads it as "" and ParseInt refuses that.
   */
  private integerValue(operator: string): string {
    const token = this.next();
    if (!isWord(token)) {
      throw this.error(token, `expected an integer after '${operator}', found ${describeToken(token)}`);
    }
    if (labelValueError(token.text) !== undefined || parseInt64(token.text) === undefined) {
      throw this.error(
        token,
        `the value of '${operator}' must be an integer from 0 to ${INT64_MAX}, found "${token.text}"`,
      );
    }
    return token.text;
  }

  /**
   * `( v1, v2, ... )`; an omitted item (`(,x)`, `(x,)`, `(x,,y)`) is the empty string. The empty list
   * `()` is the set holding only the empty string, exactly as apimachinery parses it
   * (k8s.io/apimachinery/pkg/labels/selector.go, Parser.parseValues: `case ClosedParToken: // handles
   * "()"` returns `sets.NewString("")`; selector_test.go expects `x in ()` to be `In {""}`). So
   * `k in ()` matches only clusters whose `k` is the empty value, and `k notin ()` every cluster
   * without `k` or with a non-empty `k`; neither means "match nothing" or "match everything".
   */
  private valueList(operator: string): string[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw this.error(open, `expected '(' after '${operator}', found ${describeToken(open)}`);
    }
    if (this.peek().kind === ')') {
      this.next();
      return [''];
    }
    const values: string[] = [];
    for (;;) {
      const item = this.next();
      if (item.kind === ',') {
        values.push('');
        continue;
      }
      if (item.kind === ')') {
        values.push(''); // only reachable right after a ',', as `()` was handled above
        return sortedUnique(values);
      }
      if (!isWord(item)) {
        throw this.error(item, `expected a value, ',' or ')', found ${describeToken(item)}`);
      }
      values.push(this.validValue(item));
      const after = this.next();
      if (after.kind === ')') return sortedUnique(values);
      if (after.kind !== ',') throw this.error(after, `expected ',' or ')', found ${describeToken(after)}`);
    }
  }

  private validValue(token: Token): string {
    const problem = labelValueError(token.text);
    if (problem !== undefined) throw this.error(token, `invalid label value "${token.text}": ${problem}`);
    return token.text;
  }

  private peek(): Token {
    return this.at(this.index);
  }

  private next(): Token {
    const token = this.at(this.index);
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private at(index: number): Token {
    const token = this.tokens[index];
    if (token === undefined) throw new Error('selector parser read past the end token');
    return token;
  }

  private error(token: Token, reason: string): SelectorError {
    return new SelectorError(this.input, token.position, reason);
  }
}
