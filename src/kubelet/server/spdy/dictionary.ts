/**
 * SPDY/3's header compression dictionary (a constant of the SPDY/3
 * specification), taken from the spdy-transport package rather than
 * transcribed by hand.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const dictionaries =
  require("spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js") as Record<
    number,
    Buffer
  >;

export const SPDY3_DICTIONARY: Buffer = dictionaries[3] as Buffer;
