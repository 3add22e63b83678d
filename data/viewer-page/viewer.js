/* viewer.js: watches a Beacon broadcast in a browser, over the direct server's WHEP endpoint,
 * and shows the same four security words as Beacon.
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Served with a strict Content-Security-Policy: everything it needs comes from the same server,
 * and nothing runs from an inline script. */

"use strict";

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;
const GATHERING_MAX_MS = 2000;
/* A connection "disconnected" for this long counts as lost (ICE may come back by itself). */
const DISCONNECTED_GRACE_MS = 4000;

const video = document.getElementById("video");
const stateLine = document.getElementById("state");
const security = document.getElementById("security");
const wordsLine = document.getElementById("words");
const identityLine = document.getElementById("identity");

const watchedName = (() => {
  const match = location.pathname.match(/^\/watch\/([^/]+)\/?$/);
  return match ? decodeURIComponent(match[1]) : null;
})();
const whepUrl = watchedName ? "/whep/" + encodeURIComponent(watchedName) : "/whep";

let wordList = null;
let connection = null;
let resourceUrl = null;
let attempts = 0;
let retryTimer = null;
let lostTimer = null;

/* The state line and the page's state (connecting, live, ended, refused, reconnecting). */
function setState(kind, text) {
  document.body.dataset.state = kind;
  stateLine.textContent = text;
}

function fingerprintOf(sdp) {
  const match = sdp && sdp.match(/^a=fingerprint:\S+ (\S+)/m);
  return match ? match[1] : null;
}

/* As Beacon's beacon_sas_derive (): the hex digits of both fingerprints, upper case, sorted,
 * hashed with SHA-256 after "beacon-sas-v1|"; one word per byte of the first four. */
async function securityWords(a, b) {
  const normalise = (fingerprint) => fingerprint.replace(/[^0-9a-fA-F]/g, "").toUpperCase();
  const [first, second] = [normalise(a), normalise(b)].sort();
  const text = new TextEncoder().encode("beacon-sas-v1|" + first + "|" + second);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  return Array.from(digest.slice(0, 4), (byte) => wordList[byte]).join(" ");
}

async function showWords() {
  const local = fingerprintOf(connection.localDescription && connection.localDescription.sdp);
  const remote = fingerprintOf(connection.currentRemoteDescription &&
                               connection.currentRemoteDescription.sdp);
  if (!local || !remote || !wordList) {
    return;
  }
  wordsLine.textContent = await securityWords(local, remote);
  identityLine.textContent = "sha-256 " + remote;
  security.hidden = false;
}

function closeConnection() {
  clearTimeout(lostTimer);
  if (connection) {
    connection.onconnectionstatechange = null;
    connection.ontrack = null;
    connection.close();
    connection = null;
  }
  if (resourceUrl) {
    /* Tells the server at once; a failure only means it notices later by itself. */
    fetch(resourceUrl, { method: "DELETE", keepalive: true }).catch(() => {});
    resourceUrl = null;
  }
}

function retryLater(kind, text) {
  closeConnection();
  const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(attempts, 4));
  attempts++;
  setState(kind, `${text} Trying again in ${Math.round(delay / 1000)} s…`);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(connect, delay);
}

function gatheringDone(peer) {
  if (peer.iceGatheringState === "complete") {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GATHERING_MAX_MS);
    peer.addEventListener("icegatheringstatechange", () => {
      if (peer.iceGatheringState === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function onConnectionState() {
  const state = connection.connectionState;
  if (state === "connected") {
    clearTimeout(lostTimer);
    attempts = 0;
    setState("live", "Live");
    showWords().catch((error) => console.warn("no security words:", error));
  } else if (state === "disconnected") {
    clearTimeout(lostTimer);
    lostTimer = setTimeout(() => retryLater("reconnecting", "The connection was lost."),
                           DISCONNECTED_GRACE_MS);
  } else if (state === "failed") {
    retryLater("reconnecting", "The connection was lost.");
  }
}

async function connect() {
  closeConnection();
  setState(attempts > 0 ? "reconnecting" : "connecting",
           attempts > 0 ? "Reconnecting…" : "Connecting…");
  const peer = new RTCPeerConnection();
  connection = peer;
  const stream = new MediaStream();
  peer.addTransceiver("video", { direction: "recvonly" });
  peer.addTransceiver("audio", { direction: "recvonly" });
  peer.ontrack = (event) => {
    stream.addTrack(event.track);
    video.srcObject = stream;
  };
  peer.onconnectionstatechange = onConnectionState;

  try {
    await peer.setLocalDescription(await peer.createOffer());
    await gatheringDone(peer);
    const response = await fetch(whepUrl, {
      method: "POST",
      headers: { "Content-Type": "application/sdp" },
      body: peer.localDescription.sdp,
    });
    const body = await response.text();
    if (connection !== peer) {
      return;
    }
    if (response.status === 404) {
      retryLater("ended", "Not live: " + body + ".");
      return;
    }
    if (!response.ok) {
      retryLater("refused", `Refused (${response.status}): ${body}.`);
      return;
    }
    /* The Location of the session, relative to the URL it was asked at. */
    const location = response.headers.get("Location");
    resourceUrl = location ? new URL(location, new URL(whepUrl, document.baseURI)).href : null;
    await peer.setRemoteDescription({ type: "answer", sdp: body });
  } catch (error) {
    if (connection === peer) {
      retryLater("reconnecting", "Could not connect: " + error.message + ".");
    }
  }
}

async function start() {
  if (watchedName) {
    document.getElementById("title").textContent = "Beacon — " + watchedName;
    document.title = watchedName + " — Beacon";
  }
  try {
    const response = await fetch("/sas-words.json");
    wordList = await response.json();
  } catch (error) {
    console.warn("no word list:", error);
  }
  window.addEventListener("pagehide", closeConnection);
  connect();
}

start();
