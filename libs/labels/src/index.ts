export { labelKeyError, labelValueError } from './label.js';
