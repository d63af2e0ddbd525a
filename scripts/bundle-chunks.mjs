// Writes one file per page with every wasm chunk the page's split lists
// (`pkg/<split>.chunks.bin`, from `__wasm_split_manifest.json`), so a cold load
// fetches a page's chunks in one request instead of thirty: over HTTP/1.1 a
// browser opens six connections to a host, and on a phone's network each
// request waits a round trip (BENCHMARKS.md, "Dashboard craft (issue 14):
// what a page transfers"). The server names the file in a preload link and
// public/assets/page.js answers the chunk fetches from it; the chunk files
// stay, for pages reached later in the session and for any miss.
//
// Layout: a 4-byte little-endian length n, n bytes of JSON
// `[["chunk_9", 1500], ...]` (name and byte length, in order), the bodies.
// Run after the build, before precompress.mjs:
//   node scripts/bundle-chunks.mjs [target/site/pkg]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const pkg = process.argv[2] ?? "target/site/pkg";
const manifestPath = join(pkg, "__wasm_split_manifest.json");
if (!existsSync(manifestPath)) {
  console.log(`bundle-chunks: no ${manifestPath} (not a --split build), nothing to do`);
  process.exit(0);
}
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
for (const [split, chunks] of Object.entries(manifest)) {
  const bodies = chunks.map((c) => readFileSync(join(pkg, `${c}.wasm`)));
  const index = Buffer.from(JSON.stringify(chunks.map((c, i) => [c, bodies[i].length])));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(index.length, 0);
  const out = Buffer.concat([head, index, ...bodies]);
  writeFileSync(join(pkg, `${split}.chunks.bin`), out);
  console.log(`bundle-chunks: ${split}: ${chunks.length} chunks, ${out.length} bytes`);
}
