/** Resource quantities as the downward API reads them: parse failures are FieldPathErrors. */
import { parseQuantity, type Quantity } from "../../machinery/quantity/index.js";
import { FieldPathError } from "./errors.js";

/** A resource list as it arrives from JSON (quantities are strings; a bare number is tolerated). */
export type ResourceList = Readonly<Record<string, string | number>>;

/** `text` parsed; an unset quantity is 0. */
export function quantityOf(text: string | number | undefined): Quantity {
  try {
    return parseQuantity(text === undefined ? "0" : String(text));
  } catch (err) {
    throw new FieldPathError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
