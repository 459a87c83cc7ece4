import { type FieldError, formatFieldError } from "../../../src/machinery/field-errors.js";

/** The errors as upstream prints them, one line each. */
export function messages(errs: readonly FieldError[]): string[] {
  return errs.map(formatFieldError);
}
