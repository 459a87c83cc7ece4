/** Platform matching for image indexes, following containerd's platforms package. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: "amd64" },
  "x86-64": { architecture: "amd64" },
  aarch64: { architecture: "arm64" },
  armhf: { architecture: "arm", variant: "v7" },
  armel: { architecture: "arm", variant: "v6" },
  i386: { architecture: "386" },
};

/** Canonical form: amd64 without variant means v1, arm64 means v8, arm means v7. */
export function normalizePlatform(p: Platform): Required<Platform> {
  const os = p.os.toLowerCase();
  const alias = ARCH_ALIASES[p.architecture.toLowerCase()];
  const architecture = alias?.architecture ?? p.architecture.toLowerCase();
  let variant = (p.variant ?? alias?.variant ?? "").toLowerCase();
  if (architecture === "amd64" && variant === "") variant = "v1";
  if (architecture === "arm64" && (variant === "" || variant === "8")) variant = "v8";
  if (architecture === "arm" && variant === "") variant = "v7";
  if (architecture === "arm" && /^[5-8]$/.test(variant)) variant = `v${variant}`;
  return { os, architecture, variant };
}

/** The platform this process runs on, as an image platform. */
export function hostPlatform(
  info: { platform: string; arch: string; armVersion?: string } = {
    platform: process.platform,
    arch: process.arch,
  },
): Required<Platform> {
  const arch: Record<string, string> = {
    x64: "amd64",
    arm64: "arm64",
    arm: "arm",
    ia32: "386",
    ppc64: "ppc64le",
    s390x: "s390x",
    riscv64: "riscv64",
  };
  const variant = info.arch === "arm" && info.armVersion ? `v${info.armVersion}` : undefined;
  return normalizePlatform({
    os: info.platform,
    architecture: arch[info.arch] ?? info.arch,
    ...(variant === undefined ? {} : { variant }),
  });
}

function variantNumber(variant: string): number {
  const m = /^v(\d+)$/.exec(variant);
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * How well a candidate suits the wanted platform: undefined when it cannot
 * run there, otherwise a rank (lower is better). A host of variant vN runs
 * images of variants up to vN (amd64 v1..v4, arm v5..v7); an exact variant
 * match is best, then the highest compatible one.
 */
export function platformRank(wanted: Platform, candidate: Platform): number | undefined {
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return undefined;
  if (w.variant === c.variant) return 0;
  const wn = variantNumber(w.variant);
  const cn = variantNumber(c.variant);
  if (Number.isNaN(wn) || Number.isNaN(cn) || cn > wn) return undefined;
  return 1 + (wn - cn);
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** Parses `linux/amd64` or `linux/arm/v7`. */
export function parsePlatform(text: string): Platform {
  const [os = "", architecture = "", variant] = text.split("/");
  return variant ? { os, architecture, variant } : { os, architecture };
}
