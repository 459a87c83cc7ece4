import {
  type Answer,
  AUTHORITATIVE_ANSWER,
  type DecodedPacket,
  decode,
  encode,
  type Packet,
  RECURSION_AVAILABLE,
  RECURSION_DESIRED,
  TRUNCATED_RESPONSE,
} from "dns-packet";

/** Header RCODEs (RFC 1035 4.1.1) this server sends. */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;
export type Rcode = keyof typeof RCODE;

/** RFC 1035's UDP limit for clients that say nothing about their buffer (no EDNS). */
export const CLASSIC_UDP_LIMIT = 512;
/**
 * The largest UDP reply sent, and the buffer size advertised in EDNS: the
 * 2020 DNS flag day's 1232 bytes, which fits a 1280-byte IPv6 MTU unfragmented.
 */
export const MAX_UDP_PAYLOAD = 1232;
/** A TCP message's length prefix is 16 bits (RFC 1035 4.2.2). */
export const TCP_LIMIT = 65535;

function optOf(p: Packet): Extract<Answer, { type: "OPT" }> | undefined {
  return p.additionals?.find((a): a is Extract<Answer, { type: "OPT" }> => a.type === "OPT");
}

/** How large a UDP reply to this query may be: its EDNS0 buffer size, or 512 without EDNS. */
export function udpLimit(query: Packet): number {
  const opt = optOf(query);
  if (!opt) return CLASSIC_UDP_LIMIT;
  return Math.min(Math.max(opt.udpPayloadSize, CLASSIC_UDP_LIMIT), MAX_UDP_PAYLOAD);
}

/** The opcode field of a query (0 = standard QUERY). */
export function opcodeOf(query: DecodedPacket): number {
  return ((query.flags ?? 0) >> 11) & 0xf;
}

export interface ReplyBody {
  readonly rcode: Rcode;
  readonly answers?: Answer[];
  readonly authorities?: Answer[];
  readonly additionals?: Answer[];
  /** Set for answers from the cluster zone, which this server is the authority for. */
  readonly authoritative?: boolean;
}

/**
 * The reply to a query: same id, opcode, RD bit and question; RA set since
 * other names are forwarded; an OPT record when the query had one (RFC 6891).
 */
export function replyTo(query: DecodedPacket, body: ReplyBody): Packet {
  const flags =
    (opcodeOf(query) << 11) |
    ((query.flags ?? 0) & RECURSION_DESIRED) |
    RECURSION_AVAILABLE |
    (body.authoritative ? AUTHORITATIVE_ANSWER : 0) |
    RCODE[body.rcode];
  const additionals = [...(body.additionals ?? [])];
  if (optOf(query)) {
    additionals.push({
      type: "OPT",
      name: ".",
      udpPayloadSize: MAX_UDP_PAYLOAD,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    });
  }
  return {
    type: "response",
    id: query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: body.answers ?? [],
    authorities: body.authorities ?? [],
    additionals,
  };
}

/**
 * Encodes a reply to fit `limit` bytes. Extra records go first (a reply
 * missing only additional data is not truncated, RFC 2181 9); if the
 * answer itself does not fit, the reply is emptied and marked TC so the
 * client asks again over TCP.
 */
export function encodeWithin(reply: Packet, limit: number): Buffer {
  const full = encode(reply);
  if (full.length <= limit) return full;
  const opt = optOf(reply);
  const lean = { ...reply, additionals: opt ? [opt] : [] };
  const leaner = encode(lean);
  if (leaner.length <= limit) return leaner;
  return encode({
    ...lean,
    flags: (reply.flags ?? 0) | TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
  });
}

/** A copy of a message with another id (forwarded queries travel under an id of our own). */
export function withId(raw: Buffer, id: number): Buffer {
  const copy = Buffer.from(raw);
  copy.writeUInt16BE(id, 0);
  return copy;
}

/** The id of a message, or undefined if it has no full header. */
export function idOf(raw: Buffer): number | undefined {
  return raw.length >= 12 ? raw.readUInt16BE(0) : undefined;
}

/** Whether an encoded message has the TC bit. */
export function isTruncated(raw: Buffer): boolean {
  return raw.length >= 4 && (raw.readUInt16BE(2) & TRUNCATED_RESPONSE) !== 0;
}

/** A bare error reply for a message that could not be parsed: its id, no question. */
export function headerOnlyReply(raw: Buffer, rcode: Rcode): Buffer | undefined {
  const id = idOf(raw);
  if (id === undefined) return undefined;
  // The query's opcode and RD bit are kept, as in any reply.
  const flags = (raw.readUInt16BE(2) & 0x7900) | 0x8000 | RECURSION_AVAILABLE | RCODE[rcode];
  const out = Buffer.alloc(12);
  out.writeUInt16BE(id, 0);
  out.writeUInt16BE(flags, 2);
  return out;
}

/** Decodes a query, or undefined if it is not a well-formed query message. */
export function parseQuery(raw: Buffer): DecodedPacket | undefined {
  try {
    const p = decode(raw);
    return p.type === "query" ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fits an upstream's reply into what the client accepts over UDP: as is
 * if it fits, else the upstream's header and question with TC set.
 */
export function fitForwarded(raw: Buffer, limit: number): Buffer | undefined {
  if (raw.length <= limit) return raw;
  try {
    const p = decode(raw);
    const opt = optOf(p);
    return encode({
      ...p,
      flags: (p.flags ?? 0) | TRUNCATED_RESPONSE,
      answers: [],
      authorities: [],
      additionals: opt ? [opt] : [],
    });
  } catch {
    return undefined;
  }
}
