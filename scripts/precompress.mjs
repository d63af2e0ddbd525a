// Writes .br (quality 11) and .gz (level 9) next to every text and wasm file of
// the built site, once per build, so the server sends the smallest encoding
// without compressing on each request (see server::caching::static_files).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = process.argv[2] ?? "target/site";
const wanted = /\.(wasm|js|css|svg|json|txt|bin)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (wanted.test(name)) yield path;
  }
}

let before = 0;
let after = 0;
for (const path of files(root)) {
  const body = readFileSync(path);
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  before += body.length;
  after += br.length;
}
console.log(`precompressed ${root}: ${before} bytes -> ${after} bytes with brotli`);
