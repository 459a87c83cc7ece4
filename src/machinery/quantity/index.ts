export { canonicalString } from "./format.js";
export {
  canonicalizeQuantity,
  FORMAT_WRONG,
  mustParseQuantity,
  NUMERIC_WRONG,
  parseQuantity,
  parseQuantityJSON,
  QuantityParseError,
  SUFFIX_WRONG,
} from "./parse.js";
export { Quantity, Scale } from "./quantity.js";
export type { QuantityFormat } from "./suffix.js";
