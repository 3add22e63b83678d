/* interop.test.mjs: real clients of the GStreamer WebRTC signalling protocol against Beacon's
 * direct server (issue 2).
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The browser side is the npm gstwebrtc-api library (the browser client of gst-plugins-rs
 * webrtcsink/webrtcsrc) in Debian's Chromium, driven by playwright-core:
 *   - a browser consumer watches `beacon-cli serve` (VP8, then H.264) and must show 30 frames;
 *   - browser viewers come and go (20 visits in a row, 5 at once) and each must paint 10;
 *   - a browser producer (Chromium's fake camera) registers on the same kind of server and
 *     `beacon-cli watch` must decode 30 of its frames.
 * Everything runs on 127.0.0.1 with no STUN/TURN server. Run it with run-interop.sh (meson test
 * --suite interop), which installs the npm dependencies first and cleans up after. */

import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";

import * as h from "./harness.mjs";

const FRAMES = 30;
const FRAME_WAIT_MS = 30000;
const BROWSER_PRODUCER = "browser-cam";

let setupPromise = null;
let env = null;

/* Everything the tests share: certificates, the page server, one Chromium. Done once, by the
 * first test that needs it; a failure fails every test with the same message. */
function setup() {
  if (!setupPromise) {
    setupPromise = h.withTimeout(doSetup(), 60000, "setting up the interop tests");
  }
  return setupPromise;
}

async function doSetup() {
  const deps = h.findDependencies();
  const work = h.makeTempDir("beacon-interop-");
  env = { work, deps };

  /* All the broadcasters share one identity, made before any of them starts, so that one
   * Chromium can trust the certificate of each of their servers. */
  env.serveDataDir = join(work, "serve-data");
  const identity = new h.CliProcess(["identity"], env.serveDataDir, "beacon-cli identity");
  const identityStatus = await identity.waitExit(20000);
  if (identityStatus !== 0) {
    await identity.stop();
    throw new Error(`beacon-cli identity failed (status ${identityStatus})\n${identity.output()}`);
  }
  const identityPem = join(env.serveDataDir, "identity.pem");
  if (!existsSync(identityPem)) {
    throw new Error(`beacon-cli identity made no ${identityPem}`);
  }
  env.beaconFingerprint = h.certFingerprint(identityPem);
  const printed = identity.stdoutLines.join("\n").trim();
  assert.equal(printed, `sha256:${env.beaconFingerprint}`,
               "beacon-cli identity prints the fingerprint of the certificate in identity.pem");

  const pageCertificate = h.makePageCertificate(work);
  const spki = [h.spkiHash(pageCertificate.certPath), h.spkiHash(identityPem)];

  const page = await h.startPageServer(pageCertificate, deps.bundle);
  env.pageServer = page.server;
  env.origin = page.origin;

  env.profileDir = join(work, "chromium-profile");
  env.context = await h.launchChromium(spki, env.profileDir);
  env.browserGroup = h.findBrowserGroup(env.profileDir);
  h.track(env.browserGroup, "chromium", true);
  h.note(`gstwebrtc-api ${deps.apiVersion}, Chromium ${env.context.browser().version()}, ` +
         `page ${env.origin}`);
  return env;
}

after(async () => {
  if (env && env.context) {
    try {
      await h.withTimeout(env.context.close(), 10000, "closing Chromium");
      h.untrack(env.browserGroup);
    } catch (ex) {
      h.note(ex.message);
    }
  }
  h.killAll();
  if (env && env.pageServer) {
    env.pageServer.close();
    if (env.pageServer.closeAllConnections) {
      env.pageServer.closeAllConnections();
    }
  }
  if (env && env.work && !process.env.BEACON_INTEROP_KEEP) {
    rmSync(env.work, { recursive: true, force: true });
  }
});

/* `beacon-cli serve` with a test picture, and the link it prints. */
async function startServe(extraArgs, label, program = "BEACON_CLI") {
  const serve = program === "BEACON_CLI"
    ? new h.CliProcess([
      "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test",
      "--width", "320", "--height", "240", "--ice-address", "127.0.0.1", "--name", "interop",
      ...extraArgs,
    ], env.serveDataDir, label)
    : new h.CliProcess(extraArgs, env.serveDataDir, label, program);
  try {
    const link = (await serve.waitLine("watch: ", 20000)).trim();
    const match = /^(wss:\/\/127\.0\.0\.1:\d+\/[^#]*)#(.*)$/.exec(link);
    assert.ok(match, `the watch line is a wss link on 127.0.0.1 with a fragment: '${link}'`);
    const fragment = new URLSearchParams(match[2]);
    /* The pin must be the certificate Chromium was told to trust. */
    assert.equal(fragment.get("pin"), `sha256:${env.beaconFingerprint}`,
                 `the link pins the certificate of identity.pem: '${link}'`);
    return { serve, link, url: match[1] };
  } catch (ex) {
    await serve.stop();
    throw ex;
  }
}

async function openPage(query) {
  const page = await env.context.newPage();
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleLines.push(`page error: ${error.message}`));
  page.on("crash", () => consoleLines.push("the page crashed"));
  const url = `${env.origin}/?${new URLSearchParams(query).toString()}`;
  await page.goto(url, { timeout: 10000 });
  return { page, consoleLines };
}

async function pageState(page) {
  try {
    return await h.withTimeout(page.evaluate(() => JSON.parse(JSON.stringify(window.interop))),
                               5000, "reading the page's state");
  } catch (ex) {
    return { failure: `cannot read the page's state: ${ex.message}`, log: [], errors: [] };
  }
}

function diagnose(state, consoleLines, ...processes) {
  const { log = [], ...fields } = state || {};
  return [
    `page state: ${JSON.stringify(fields)}`,
    `page log:\n  ${log.join("\n  ")}`,
    `browser console:\n  ${consoleLines.slice(-40).join("\n  ")}`,
    ...processes.map((p) => p.output(40)),
  ].join("\n");
}

/* Waits (bounded) until @predicate holds in the page, or the page reports a failure. */
async function waitInPage(page, predicateSource, ms) {
  try {
    await page.waitForFunction(
      `window.interop && (window.interop.failure !== null || (${predicateSource}))`,
      undefined, { timeout: ms, polling: 250 });
  } catch (ex) {
    /* A timeout: the caller reports it with the page's state. */
  }
  return pageState(page);
}

/* A browser consumer watches `beacon-cli serve @codecArgs`. With @consumerOffers, the page
 * sends its own offer with startSession (gstwebrtc-api's createConsumerSessionWithOfferOptions)
 * and Beacon answers; otherwise Beacon offers (the library's default). */
async function browserWatches(codecArgs, expectedMime, { consumerOffers = false,
                                                         expectAudio = true } = {}) {
  await setup();
  const { serve, url } = await startServe(codecArgs, `serve ${codecArgs.join(" ") || "vp8"}`);
  let page = null;
  try {
    const opened = await openPage({ mode: "consume", url, producer: "interop",
                                    offer: consumerOffers ? "1" : "0" });
    page = opened.page;
    const started = Date.now();
    const state = await waitInPage(
      page,
      `window.interop.videoFrames >= ${FRAMES} && window.interop.framesDecoded >= ${FRAMES}` +
        " && window.interop.codec !== null",
      FRAME_WAIT_MS);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const details = () => diagnose(state, opened.consoleLines, serve);

    assert.equal(state.failure, null, `the page failed: ${state.failure}\n${details()}`);
    assert.equal(state.producersSeen.filter((p) => p.name === "interop").length, 1,
                 `the page saw the producer 'interop' once\n${details()}`);
    assert.ok(state.videoFrames >= FRAMES,
              `the <video> showed ${state.videoFrames} frames in ${seconds} s, ` +
              `expected ${FRAMES}\n${details()}`);
    assert.ok(state.framesDecoded >= FRAMES,
              `Chromium decoded ${state.framesDecoded} frames, expected ${FRAMES}\n${details()}`);
    assert.equal(state.codec, expectedMime, `the negotiated codec\n${details()}`);
    assert.equal(`${state.width}x${state.height}`, "320x240", `the decoded size\n${details()}`);
    assert.equal(serve.exitStatus, null, `beacon-cli serve is still running\n${details()}`);
    if (expectAudio) {
      assert.ok(state.audioPackets > 0,
                `Chromium received the broadcast's audio (${state.audioCodec})\n${details()}`);
    }
    h.note(`${expectedMime}${consumerOffers ? " (consumer offers)" : ""}: ` +
           `${state.videoFrames} frames shown, ${state.framesDecoded} decoded in ${seconds} s; ` +
           `${state.audioPackets} ${state.audioCodec} packets; remote streams ` +
           JSON.stringify(state.streamKinds));
  } finally {
    if (page) {
      await h.withTimeout(page.close(), 5000, "closing the page").catch(() => {});
    }
    await serve.stop();
  }
}

test("Chromium with gstwebrtc-api watches a VP8 broadcast of beacon-cli serve",
     { timeout: 60000 }, async () => {
  await browserWatches([], "video/VP8");
});

test("Chromium with gstwebrtc-api watches an H.264 broadcast of beacon-cli serve",
     { timeout: 60000 }, async () => {
  await browserWatches(["--codec", "h264"], "video/H264");
});

/* The other direction of negotiation of the protocol: startSession carries the consumer's
 * offer, with Chromium's payload type numbers (Opus 111, H.264 not 96), which Beacon must use
 * for this viewer although it payloads once for everybody. */
test("Chromium with gstwebrtc-api watches a VP8 broadcast, sending the offer itself",
     { timeout: 60000 }, async () => {
  await browserWatches([], "video/VP8", { consumerOffers: true });
});

test("Chromium with gstwebrtc-api watches an H.264 broadcast, sending the offer itself",
     { timeout: 60000 }, async () => {
  await browserWatches(["--codec", "h264"], "video/H264", { consumerOffers: true });
});

/* Issue 12: one broadcast, and browser viewers that come and go as visitors of a page do. After
 * a few visits, or after several viewers at once, the next browser viewer once connected and
 * then showed nothing for 40 s. Each viewer here must paint VISIT_FRAMES frames
 * (requestVideoFrameCallback) in its own page, which then closes. */
const VISIT_FRAMES = 10;
const VISIT_WAIT_MS = 20000;

/* One visit: a page watches the broadcast until it painted VISIT_FRAMES frames (bounded by
 * VISIT_WAIT_MS) and closes. Resolves with what the page saw; never leaves the page open. */
async function visit(url, label) {
  const opened = await openPage({ mode: "consume", url, producer: "interop", offer: "0" });
  const started = Date.now();
  try {
    const state = await waitInPage(opened.page,
                                   `window.interop.callbackFrames >= ${VISIT_FRAMES}`,
                                   VISIT_WAIT_MS);
    return { label, state, consoleLines: opened.consoleLines,
             seconds: (Date.now() - started) / 1000 };
  } finally {
    await h.withTimeout(opened.page.close(), 5000, "closing the page").catch(() => {});
  }
}

function assertVisit(result, serve) {
  const { label, state, consoleLines, seconds } = result;
  const details = () => diagnose(state, consoleLines, serve);

  assert.equal(state.failure, null, `${label}: the page failed: ${state.failure}\n${details()}`);
  assert.ok(state.callbackFrames >= VISIT_FRAMES,
            `${label}: painted ${state.callbackFrames} frames in ${seconds.toFixed(1)} s, ` +
            `expected ${VISIT_FRAMES}; video counters ${JSON.stringify(state.video)}\n` +
            details());
}

function summary(results) {
  const seconds = results.map((r) => r.seconds);
  return `${results.length} viewers, each ${VISIT_FRAMES} frames painted in ` +
         `${Math.min(...seconds).toFixed(1)}–${Math.max(...seconds).toFixed(1)} s`;
}

test("20 Chromium visits in a row to one VP8 broadcast each paint 10 frames",
     { timeout: 240000 }, async () => {
  await setup();
  const { serve, url } = await startServe(["--width", "640", "--height", "360"],
                                          "serve 640x360 (visits)");
  try {
    const results = [];
    for (let i = 1; i <= 20; i++) {
      const result = await visit(url, `visit ${i} of 20`);
      assertVisit(result, serve);
      results.push(result);
    }
    assert.equal(serve.exitStatus, null, `beacon-cli serve is still running\n${serve.output()}`);
    h.note(`visits in a row: ${summary(results)}`);
  } finally {
    await serve.stop();
  }
});

/* Every "sas" member anywhere in a report. */
function reportWords(report, found = []) {
  if (Array.isArray(report)) {
    report.forEach((item) => reportWords(item, found));
  } else if (report && typeof report === "object") {
    for (const [key, value] of Object.entries(report)) {
      if (key === "sas" && typeof value === "string") {
        found.push(value);
      }
      reportWords(value, found);
    }
  }
  return found;
}

/* The direct server's own viewer page, from the browser link serve prints: it plays, says
 * Live, and shows the same four words as the broadcaster's report for that viewer. */
test("Chromium plays the direct server's own viewer page and shows the broadcaster's words",
     { timeout: 90000 }, async () => {
  await setup();
  const reportPath = join(env.work, "viewer-page-report.json");
  const { serve } = await startServe(["--report", reportPath], "serve (viewer page)");
  const page = await env.context.newPage();
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  try {
    const browserLink = (await serve.waitLine("browser: ", 20000)).trim();
    assert.match(browserLink, /^https:\/\/127\.0\.0\.1:\d+\/watch\/interop$/);
    await page.goto(browserLink, { timeout: 10000 });
    await page.waitForFunction(() => document.body.dataset.state === "live", null,
                               { timeout: 20000 })
      .catch((ex) => { throw new Error(`${ex.message}\n${consoleLines.join("\n")}\n${serve.output()}`); });
    const frames = await page.evaluate(() => new Promise((resolve) => {
      const video = document.getElementById("video");
      let painted = 0;
      const paintedOne = () => {
        painted++;
        if (painted >= 10) {
          resolve(painted);
        } else {
          video.requestVideoFrameCallback(paintedOne);
        }
      };
      video.requestVideoFrameCallback(paintedOne);
      setTimeout(() => resolve(painted), 15000);
    }));
    assert.ok(frames >= 10, `the page painted ${frames} frames`);
    await page.waitForFunction(() => document.getElementById("words").textContent !== "", null,
                               { timeout: 5000 });
    const words = (await page.textContent("#words")).trim();
    assert.match(words, /^[a-z]+ [a-z]+ [a-z]+ [a-z]+$/);
    let reported = [];
    for (let i = 0; i < 30 && !reported.includes(words); i++) {
      await h.delay(200);
      try {
        reported = reportWords(JSON.parse(readFileSync(reportPath, "utf8")));
      } catch {
        reported = [];
      }
    }
    assert.ok(reported.includes(words),
              `the page's words '${words}' are among the report's: ${JSON.stringify(reported)}`);
    h.note(`viewer page: ${frames} frames, words '${words}'`);
  } finally {
    await h.withTimeout(page.close(), 5000, "closing the page").catch(() => {});
    await serve.stop();
  }
});

/* The second case: after several viewers at once had left, the next browser viewers
 * saw nothing, with either codec, at 1280x720. */
test("5 Chromium viewers joining an H.264 broadcast at once, then 3 more, each paint 10 frames",
     { timeout: 180000 }, async () => {
  await setup();
  const { serve, url } = await startServe(["--codec", "h264", "--width", "1280",
                                           "--height", "720"], "serve h264 1280x720 (crowd)");
  try {
    const together = await Promise.all([1, 2, 3, 4, 5].map((i) => visit(url, `viewer ${i} of 5`)));
    for (const result of together) {
      assertVisit(result, serve);
    }
    const after = [];
    for (let i = 1; i <= 3; i++) {
      const result = await visit(url, `viewer ${i} after the five`);
      assertVisit(result, serve);
      after.push(result);
    }
    h.note(`at once: ${summary(together)}; after them: ${summary(after)}`);
  } finally {
    await serve.stop();
  }
});

/* A gstwebrtc-api producer (Chromium's fake camera and microphone, with @codec first in its
 * offer) registers on a signalling server where anyone may publish (Beacon's own server lets
 * only its broadcaster produce), and `beacon-cli watch --dialect gst` picks it by name and
 * decodes it. */
async function beaconWatchesBrowser(codec, expectedMime) {
  await setup();
  const { serve, link, url } = await startServe(
    [], `signalling server (for a ${codec} browser producer)`, "BEACON_TEST_SIGNALLING_SERVER");
  let page = null;
  let watch = null;
  try {
    const opened = await openPage({ mode: "produce", url, name: BROWSER_PRODUCER, codec });
    page = opened.page;
    let state = await waitInPage(page, "window.interop.registered", 15000);
    assert.equal(state.failure, null,
                 `the browser producer failed: ${state.failure}\n` +
                 diagnose(state, opened.consoleLines, serve));
    assert.ok(state.registered, "the server acknowledged the browser producer\n" +
              diagnose(state, opened.consoleLines, serve));

    /* The link of the signalling server, naming the browser's broadcast. */
    const watchLink = `${link}&producer=${BROWSER_PRODUCER}`;
    const report = join(env.work, `watch-report-${codec}.json`);
    watch = new h.CliProcess([
      "watch", "--dialect", "gst", "--frames", String(FRAMES), "--timeout", "40",
      "--ice-address", "127.0.0.1", "--report", report, watchLink,
    ], join(env.work, `watch-data-${codec}`), "beacon-cli watch");
    const started = Date.now();
    const status = await watch.waitExit(45000);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    state = await pageState(page);
    const details = () => diagnose(state, opened.consoleLines, watch, serve);

    assert.equal(status, 0, `beacon-cli watch exit status (4 = timeout, 5 = security check)\n` +
                 details());
    assert.ok(watch.stdoutLines.some((line) => line.startsWith("first-frame-ms: ")),
              `beacon-cli watch printed first-frame-ms\n${details()}`);
    assert.ok(state.consumers >= 1, `the browser producer got a consumer\n${details()}`);
    assert.ok(state.framesEncoded > 0, `the browser encoded frames\n${details()}`);
    assert.equal(state.codec, expectedMime, `the codec the browser sent\n${details()}`);
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, "utf8"));
      assert.equal(json.dtls && json.dtls.verified, true,
                   `Beacon verified Chromium's DTLS certificate: ${JSON.stringify(json.dtls)}`);
    } else {
      assert.fail(`beacon-cli watch wrote no report\n${details()}`);
    }
    h.note(`browser producer (${state.codec}): beacon-cli watch decoded ${FRAMES} frames ` +
           `in ${seconds} s`);
  } finally {
    if (watch) {
      await watch.stop();
    }
    if (page) {
      await h.withTimeout(page.close(), 5000, "closing the page").catch(() => {});
    }
    await serve.stop();
  }
}

test("beacon-cli watch decodes a VP8 gstwebrtc-api producer in Chromium (fake camera)",
     { timeout: 80000 }, async () => {
  await beaconWatchesBrowser("vp8", "video/VP8");
});

test("beacon-cli watch decodes an H.264 gstwebrtc-api producer in Chromium (fake camera)",
     { timeout: 80000 }, async () => {
  await beaconWatchesBrowser("h264", "video/H264");
});

/* The same browser producer against `beacon-cli serve`: Beacon's own server lets only its
 * broadcaster produce, so the browser is told so and never becomes a producer there. */
test("Chromium cannot produce on the server of beacon-cli serve",
     { timeout: 60000 }, async () => {
  await setup();
  const { serve, url } = await startServe([], "serve (refusing a browser producer)");
  let page = null;
  try {
    const opened = await openPage({ mode: "produce", url, name: BROWSER_PRODUCER, codec: "vp8" });
    page = opened.page;
    const refusal = "only the broadcaster that runs this server can publish on it";
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && !opened.consoleLines.some((l) => l.includes(refusal))) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const state = await pageState(page);
    assert.ok(opened.consoleLines.some((line) => line.includes(refusal)),
              `the server refused the browser producer\n` +
              diagnose(state, opened.consoleLines, serve));
    assert.equal(state.registered, false, "the browser never became a producer");
    assert.equal(state.consumers, 0, "no viewer reached the browser");
  } finally {
    if (page) {
      await h.withTimeout(page.close(), 5000, "closing the page").catch(() => {});
    }
    await serve.stop();
  }
});
