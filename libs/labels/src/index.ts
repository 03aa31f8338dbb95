export { labelKeyError, labelValueError } from './label.js';
export { assertValidLabels, LabelsError, validateLabels } from './labels-validate.js';
export { formatSelector } from './selector-format.js';
export { DECIMAL_INTEGER, INT64_MAX, INT64_MIN, parseInt64 } from './selector-integer.js';
export { matchesSelector } from './selector-match.js';
export { parseSelector } from './selector-parser.js';
export {
  MAX_SELECTOR_LENGTH,
  SelectorError,
  type Requirement,
  type Selector,
  type SelectorOperator,
} from './selector-types.js';
