/* harness.mjs: processes, certificates, the page server and Chromium for the interop tests.
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keep to what Node.js 18 (Debian 12's nodejs) has. Every wait is bounded in time, and every
 * process started here is killed when the test process ends, however it ends. The pids of the
 * processes still running are kept in $BEACON_INTEROP_PIDFILE, so that run-interop.sh can kill
 * them even if this process is killed outright. */

import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { constants, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));

/* What the test run started and has not seen end: pid → {label, group}. */
const running = new Map();

function savePids() {
  const file = process.env.BEACON_INTEROP_PIDFILE;
  if (!file) {
    return;
  }
  const lines = [];
  for (const [pid, info] of running) {
    lines.push(`${info.group ? "group" : "pid"} ${pid} ${info.label}`);
  }
  try {
    writeFileSync(file, lines.join("\n") + (lines.length ? "\n" : ""));
  } catch (ex) {
    note(`cannot write ${file}: ${ex.message}`);
  }
}

export function track(pid, label, group = false) {
  if (pid) {
    running.set(pid, { label, group });
    savePids();
  }
}

export function untrack(pid) {
  if (running.delete(pid)) {
    savePids();
  }
}

export function killAll() {
  for (const [pid, info] of running) {
    try {
      process.kill(info.group ? -pid : pid, "SIGKILL");
    } catch (ex) {
      /* already gone */
    }
  }
  running.clear();
  savePids();
}

process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    note(`${signal}: killing what the tests started`);
    killAll();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal]);
  });
}

/* Diagnostics go to stderr: stdout carries TAP only. */
export function note(text) {
  process.stderr.write(`# ${text.replace(/\n/g, "\n# ")}\n`);
}

export function makeTempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/* Rejects after @ms unless @promise settles first, saying @what (a string, or a function
 * that returns one then). */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      const text = typeof what === "function" ? what() : what;
      reject(new Error(`${text}: no result within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function run(file, args, options = {}) {
  return execFileSync(file, args, {
    encoding: options.binary ? null : "utf8",
    timeout: options.timeout || 20000,
    input: options.input === undefined ? undefined : Buffer.from(options.input),
    env: options.env || process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/* A beacon-cli child with its output collected line by line. */
export class CliProcess {
  /* @program: another of the build's programs instead of beacon-cli (an environment variable
   * meson sets to its path). */
  constructor(args, dataDir, label, program = "BEACON_CLI") {
    const cli = process.env[program];
    if (!cli || !existsSync(cli)) {
      throw new Error(`${program} is not set to a program (it is '${cli}'): ` +
                      "run through meson test");
    }
    this.label = label;
    this.args = args;
    this.stdoutLines = [];
    this.stderrLines = [];
    this.exitStatus = null;
    this.child = spawn(cli, args, {
      env: { ...process.env, BEACON_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(this.child.pid, label);
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        untrack(this.child.pid);
        this.exitStatus = code !== null ? code : 128 + (constants.signals[signal] || 0);
        this.exitSignal = signal;
        resolve(this.exitStatus);
      });
      this.child.on("error", (error) => {
        untrack(this.child.pid);
        this.stderrLines.push(`spawn error: ${error.message}`);
        this.exitStatus = -1;
        resolve(-1);
      });
    });
    this.waiters = [];
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.stdoutLines.push(line);
      if (process.env.BEACON_TEST_VERBOSE) {
        note(`[${label} out] ${line}`);
      }
      for (const waiter of this.waiters.slice()) {
        waiter(line);
      }
    });
    createInterface({ input: this.child.stderr }).on("line", (line) => {
      this.stderrLines.push(line);
      if (process.env.BEACON_TEST_VERBOSE) {
        note(`[${label} err] ${line}`);
      }
    });
  }

  /* Resolves with the rest of the first stdout line that starts with @prefix. */
  waitLine(prefix, ms) {
    const found = this.stdoutLines.find((line) => line.startsWith(prefix));
    if (found !== undefined) {
      return Promise.resolve(found.slice(prefix.length));
    }
    let waiter;
    const promise = new Promise((resolve, reject) => {
      waiter = (line) => {
        if (line.startsWith(prefix)) {
          resolve(line.slice(prefix.length));
        }
      };
      this.waiters.push(waiter);
      this.exited.then((status) =>
        reject(new Error(`${this.label} exited (status ${status}) before printing '${prefix}'\n` +
                         this.output())));
    });
    const what = () => `${this.label}: waiting for '${prefix}'\n${this.output()}`;
    return withTimeout(promise, ms, what)
      .finally(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      });
  }

  /* Resolves with the exit status, or null when the process is still running after @ms. */
  async waitExit(ms) {
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /* SIGTERM, then SIGKILL if it does not end in @ms. */
  async stop(ms = 5000) {
    if (this.exitStatus !== null) {
      return this.exitStatus;
    }
    this.child.kill("SIGTERM");
    const status = await this.waitExit(ms);
    if (status === null) {
      this.child.kill("SIGKILL");
      return this.waitExit(ms);
    }
    return status;
  }

  output(lastLines = 60) {
    return `$ beacon-cli ${this.args.join(" ")}\n` +
      `stdout:\n${this.stdoutLines.slice(-lastLines).join("\n")}\n` +
      `stderr:\n${this.stderrLines.slice(-lastLines).join("\n")}`;
  }
}

/* A new ECDSA P-256 certificate for the page's HTTPS server. Chromium trusts it by its SPKI
 * (as it trusts Beacon's), whatever the names in it. */
export function makePageCertificate(dir) {
  const key = join(dir, "page-key.pem");
  const cert = join(dir, "page-cert.pem");
  run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-subj", "/CN=localhost", "-days", "1",
                  "-keyout", key, "-out", cert]);
  return { key: readFileSync(key), cert: readFileSync(cert), certPath: cert };
}

/* Base64 of the SHA-256 of a certificate's SubjectPublicKeyInfo, as
 * --ignore-certificate-errors-spki-list wants it: openssl x509 -pubkey | pkey -pubin -outform
 * der | dgst -sha256 -binary | base64. @pemPath may hold a key as well: x509 takes the first
 * certificate. */
export function spkiHash(pemPath) {
  const publicKey = run("openssl", ["x509", "-in", pemPath, "-noout", "-pubkey"]);
  const der = run("openssl", ["pkey", "-pubin", "-outform", "der"],
                  { input: publicKey, binary: true });
  return createHash("sha256").update(der).digest("base64");
}

/* The certificate's SHA-256 fingerprint as Beacon pins print it: AB:CD:… */
export function certFingerprint(pemPath) {
  const text = run("openssl", ["x509", "-in", pemPath, "-noout", "-fingerprint", "-sha256"]);
  const match = /Fingerprint=([0-9A-F:]+)/i.exec(text);
  if (!match) {
    throw new Error(`openssl printed no fingerprint for ${pemPath}: ${text}`);
  }
  return match[1].toUpperCase();
}

/* The node_modules this suite needs, or a clear error. */
export function findDependencies() {
  const modules = join(HERE, "node_modules");
  const hint = "node_modules are missing or incomplete in tests/interop: run " +
    "tests/interop/run-interop.sh --install-only while the npm registry is reachable";
  const apiPackage = join(modules, "gstwebrtc-api", "package.json");
  const playwrightPackage = join(modules, "playwright-core", "package.json");
  if (!existsSync(apiPackage) || !existsSync(playwrightPackage)) {
    throw new Error(hint);
  }
  const api = JSON.parse(readFileSync(apiPackage, "utf8"));
  if (!/^3\./.test(api.version)) {
    throw new Error(`gstwebrtc-api ${api.version} is installed, the tests are for 3.x: ${hint}`);
  }
  const bundle = join(modules, "gstwebrtc-api", api.main || "");
  if (!api.main || !existsSync(bundle)) {
    throw new Error(`the gstwebrtc-api browser bundle (${api.main}) is missing: ${hint}`);
  }
  return { bundle, apiVersion: api.version };
}

/* The HTTPS server of the test page, on 127.0.0.1 and a free port. */
export async function startPageServer(certificate, bundlePath) {
  const files = {
    "/": ["page/index.html", "text/html; charset=utf-8"],
    "/index.html": ["page/index.html", "text/html; charset=utf-8"],
    "/interop-page.js": ["page/interop-page.js", "text/javascript; charset=utf-8"],
    "/gstwebrtc-api.js": [bundlePath, "text/javascript; charset=utf-8"],
  };
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    const path = new URL(req.url, "https://127.0.0.1").pathname;
    if (path === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    const entry = files[path];
    if (!entry || req.method !== "GET") {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found\n");
      return;
    }
    const file = entry[0].startsWith("/") ? entry[0] : join(HERE, entry[0]);
    res.writeHead(200, { "Content-Type": entry[1], "Cache-Control": "no-store" });
    res.end(readFileSync(file));
  });
  await withTimeout(new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  }), 5000, "starting the page server");
  return { server, origin: `https://127.0.0.1:${server.address().port}` };
}

/* Debian's Chromium, headless, with a fresh profile, trusting exactly the certificates whose
 * SPKI hashes are given, and allowed to use loopback for WebRTC. */
export async function launchChromium(spkiHashes, profileDir) {
  const { chromium } = await import("playwright-core");
  const executablePath = process.env.BEACON_INTEROP_CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: apt-get install chromium`);
  }
  mkdirSync(profileDir, { recursive: true });
  const args = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-proxy-server",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    `--ignore-certificate-errors-spki-list=${spkiHashes.join(",")}`,
  ];
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args,
    timeout: 30000,
    /* Certificates are trusted by their SPKI above, not by turning checks off. */
    ignoreHTTPSErrors: false,
  });
  return context;
}

/* The process group of the Chromium that uses @profileDir. launchPersistentContext does not
 * hand out the browser's process; the profile directory, made for this run alone, identifies
 * it, and Playwright starts it as the leader of a process group of its own, with its helpers. */
export function findBrowserGroup(profileDir) {
  let entries = [];
  try {
    entries = execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8", timeout: 5000 })
      .split("\n");
  } catch (ex) {
    return null;
  }
  for (const entry of entries) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(entry);
    const isLeader = match && match[1] === match[2];
    if (isLeader && ` ${match[3]} `.includes(` --user-data-dir=${profileDir} `)) {
      return Number(match[1]);
    }
  }
  return null;
}
