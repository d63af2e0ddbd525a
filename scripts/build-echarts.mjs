// Rebuilds public/assets/vendor/echarts/echarts.min.js: ECharts with only what
// the console's charts use (line series, cartesian grid, tooltip and axis
// pointer, mark lines, canvas renderer),
// from npm's `echarts` with `esbuild` (both pinned in tools/package.json).
// The built file is committed: the product never runs this. After changing
// what the charts use (crates/app/src/ssr/chart_options.rs, charts.js):
//
//   npm ci --prefix tools && node scripts/build-echarts.mjs
//
// It prints the file's size raw, gzip -9 and brotli 11 (BENCHMARKS.md, "Charts").
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, "tools");
const require = createRequire(join(tools, "package.json"));
const esbuild = require("esbuild");
const pkg = JSON.parse(readFileSync(join(tools, "node_modules/echarts/package.json"), "utf8"));
const out = join(root, "public/assets/vendor/echarts");

// `window.echarts` as charts.js uses it (init, getInstanceByDom). The page draws the legend (the
// latest values under each chart) and the box zoom (charts.js) itself, so
// neither the legend nor the toolbox and data zoom components are needed.
const entry = `
import { use } from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridSimpleComponent, TooltipComponent, MarkLineComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
use([LineChart, GridSimpleComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);
export { init, getInstanceByDom, version } from "echarts/core";
`;

const banner = `/*
* Apache ECharts ${pkg.version}, a custom build for starrocks-overview
* (scripts/build-echarts.mjs): line charts, grid, tooltip, axis pointer,
* mark lines, canvas renderer.
*
* Licensed to the Apache Software Foundation (ASF) under one
* or more contributor license agreements.  See the NOTICE file
* distributed with this work for additional information
* regarding copyright ownership.  The ASF licenses this file
* to you under the Apache License, Version 2.0 (the
* "License"); you may not use this file except in compliance
* with the License.  You may obtain a copy of the License at
*
*   http://www.apache.org/licenses/LICENSE-2.0
*
* Unless required by applicable law or agreed to in writing,
* software distributed under the License is distributed on an
* "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
* KIND, either express or implied.  See the License for the
* specific language governing permissions and limitations
* under the License.
*
* Includes ZRender (BSD 3-Clause, LICENSE-zrender), code from d3
* (BSD 3-Clause, LICENSE-d3) and tslib (0BSD).
*/`;

const target = join(out, "echarts.min.js");
await esbuild.build({
  stdin: { contents: entry, resolveDir: tools, loader: "js" },
  bundle: true,
  format: "iife",
  globalName: "echarts",
  minify: true,
  target: "es2017",
  legalComments: "none",
  banner: { js: banner },
  define: { "process.env.NODE_ENV": '"production"' },
  outfile: target,
  logLevel: "warning",
});

copyFileSync(join(tools, "node_modules/echarts/LICENSE"), join(out, "LICENSE"));
copyFileSync(join(tools, "node_modules/echarts/NOTICE"), join(out, "NOTICE"));
copyFileSync(join(tools, "node_modules/echarts/licenses/LICENSE-d3"), join(out, "LICENSE-d3"));
copyFileSync(join(tools, "node_modules/zrender/LICENSE"), join(out, "LICENSE-zrender"));
// The full "common" build this one replaces.
rmSync(join(out, "echarts.common.min.js"), { force: true });

const body = readFileSync(target);
const gz = gzipSync(body, { level: 9 }).length;
const br = brotliCompressSync(body, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
}).length;
const line = `echarts ${pkg.version} -> ${target.replace(root + "/", "")}: ${body.length} bytes raw, ${gz} gzip -9, ${br} brotli 11`;
writeFileSync(process.stdout.fd, line + "\n");
