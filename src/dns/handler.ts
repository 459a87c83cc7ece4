import { type Answer, type DecodedPacket, decode, encode, RECURSION_DESIRED } from "dns-packet";
import {
  encodeWithin,
  fitForwarded,
  headerOnlyReply,
  opcodeOf,
  parseQuery,
  RCODE,
  type ReplyBody,
  replyTo,
  TCP_LIMIT,
  udpLimit,
} from "./message.js";
import { type LocalAnswer, type Question, type ResolveOptions, resolve } from "./resolve.js";
import type { Zone } from "./zone.js";

/** Where names outside the cluster go. */
export interface Forwarder {
  /**
   * Sends an encoded query upstream and resolves with the encoded reply
   * (carrying the query's id), or undefined when no upstream answered.
   */
  exchange(query: Buffer): Promise<Buffer | undefined>;
}

export type Transport = "udp" | "tcp";

export interface QueryHandlerOptions extends ResolveOptions {
  /** Default: none, so names outside the cluster get SERVFAIL. */
  readonly forwarder?: Forwarder;
}

/**
 * Turns one query message into its reply: cluster names from the zone,
 * everything else through the forwarder. Transport-independent apart from
 * the size limit: UDP replies fit the client's buffer or come back
 * truncated; TCP replies may be up to 64 KiB.
 */
export class QueryHandler {
  constructor(
    private readonly zone: Zone,
    private readonly opts: QueryHandlerOptions = {},
  ) {}

  /** The reply to send, or undefined to send nothing (the message was not a query). */
  async handle(raw: Buffer, transport: Transport): Promise<Buffer | undefined> {
    const query = parseQuery(raw);
    if (!query) {
      // A response sent to us is dropped: answering it could start a loop between servers.
      if (raw.length >= 4 && (raw.readUInt16BE(2) & 0x8000) !== 0) return undefined;
      return headerOnlyReply(raw, "FORMERR");
    }
    const limit = transport === "udp" ? udpLimit(query) : TCP_LIMIT;
    if (opcodeOf(query) !== 0) return encodeWithin(replyTo(query, { rcode: "NOTIMP" }), limit);
    const q = query.questions?.[0];
    if (!q || query.questions?.length !== 1)
      return encodeWithin(replyTo(query, { rcode: "FORMERR" }), limit);
    const res = resolve(this.zone, { name: q.name, type: q.type }, this.opts);
    if (res.kind === "forward") return this.forward(raw, { query, limit });
    const body = res.chase ? await this.chase(res, res.chase) : res;
    return encodeWithin(replyTo(query, { ...body, authoritative: true }), limit);
  }

  private async forward(
    raw: Buffer,
    ctx: { query: DecodedPacket; limit: number },
  ): Promise<Buffer | undefined> {
    const reply = await this.opts.forwarder?.exchange(raw);
    const fitted = reply && fitForwarded(reply, ctx.limit);
    return fitted ?? encodeWithin(replyTo(ctx.query, { rcode: "SERVFAIL" }), ctx.limit);
  }

  /**
   * Completes a CNAME out of the cluster (an ExternalName service) with the
   * target's records from upstream, as the DNS specification's example
   * answer shows. If upstream cannot be reached the CNAME alone is the answer.
   */
  private async chase(res: LocalAnswer, target: Question): Promise<ReplyBody> {
    const query = encode({
      type: "query",
      id: 0,
      flags: RECURSION_DESIRED,
      questions: [{ name: target.name, type: target.type as "A", class: "IN" }],
    });
    const raw = await this.opts.forwarder?.exchange(query);
    if (!raw) return res;
    try {
      const reply = decode(raw);
      const answers: Answer[] = [...res.answers, ...(reply.answers ?? [])];
      // RFC 6604: the rcode speaks for the last name of the chain.
      const rcode = ((reply.flags ?? 0) & 0xf) === RCODE.NXDOMAIN ? "NXDOMAIN" : res.rcode;
      return { ...res, rcode, answers };
    } catch {
      return res;
    }
  }
}
