// What each page's wasm costs the browser: the main module plus the chunks
// the split manifest lists for that page's lazy route, raw, gzip and brotli
// (the precompressed files `make site` writes). Run after `make site`:
//   node scripts/wasm-sizes.mjs [target/site/pkg]
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "target/site/pkg";
const size = (name, ext = "") => {
  const path = join(dir, `${name}.wasm${ext}`);
  return existsSync(path) ? statSync(path).size : NaN;
};
const cost = (names) =>
  ["", ".gz", ".br"].map((ext) => names.reduce((sum, n) => sum + size(n, ext), 0));
const row = (label, [raw, gz, br]) =>
  console.log(`${label.padEnd(18)} ${String(raw).padStart(9)} ${String(gz).padStart(9)} ${String(br).padStart(9)}`);

const main = "starrocks-overview";
const manifestPath = join(dir, "__wasm_split_manifest.json");
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : {};
console.log(`${"page".padEnd(18)} ${"raw".padStart(9)} ${"gzip".padStart(9)} ${"brotli".padStart(9)}`);
row("main module", cost([main]));
for (const [split, chunks] of Object.entries(manifest)) {
  // "__overview_view_<hash>" -> "overview"
  const page = split.replace(/^__/, "").replace(/_view_\d+$/, "");
  row(page, cost([main, ...chunks]));
}
const all = readdirSync(dir).filter((f) => f.endsWith(".wasm")).map((f) => f.slice(0, -5));
row("all wasm files", cost(all));
