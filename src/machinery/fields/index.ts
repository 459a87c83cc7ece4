export { FieldSelectorError, parseFieldSelector, unescapeValue } from "./parse.js";
export {
  andSelectors,
  escapeValue,
  everythingFields,
  type FieldOperator,
  type FieldRequirement,
  type FieldSelector,
  type Fields,
  fieldSelectorFromSet,
  nothingFields,
  oneTermEqualSelector,
  oneTermNotEqualSelector,
  type TransformFn,
} from "./selector.js";
