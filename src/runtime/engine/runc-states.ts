import { type OciState, type Runc, RuncError } from "../oci/index.js";

/**
 * Every container runc knows in the engine's root, by id, with one
 * `runc list`. runc fails the whole listing when a container is deleted
 * while it reads them, so a failed listing is tried again.
 */
export async function runcStates(runc: Runc, attempts = 4): Promise<Map<string, OciState>> {
  for (let i = 1; ; i++) {
    try {
      return new Map((await runc.list()).map((s) => [s.id, s]));
    } catch (err) {
      if (!(err instanceof RuncError) || i >= attempts) throw err;
    }
  }
}
