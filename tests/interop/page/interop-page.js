/* interop-page.js: what the browser does in the interop tests.
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Uses only the public API of gstwebrtc-api (window.GstWebRTCAPI, from its dist bundle), the
 * way a web page of a GStreamer WebRTC deployment would. Query parameters:
 *   mode=consume  url=WSS_URL  producer=NAME   watch the producer whose meta.name is NAME
 *                 [offer=1]                   the consumer offers instead of the producer
 *   mode=produce  url=WSS_URL  name=NAME       publish the (fake) camera and microphone as NAME
 *                 [codec=vp8|h264]            with this video codec first in the browser's offer
 * Everything the test needs is in window.interop, which the test reads with page.evaluate.
 * No STUN or TURN server is configured: every candidate is a host candidate on loopback. */

"use strict";

(function () {
  const params = new URLSearchParams(window.location.search);
  const state = {
    mode: params.get("mode"),
    url: params.get("url"),
    phase: "loading",
    failure: null,          /* set once, when the test can stop waiting: it has failed */
    errors: [],             /* every error event, fatal or not */
    log: [],
    peerId: null,
    producersSeen: [],      /* {id, name} of every producer announced to this page */
    /* consume */
    sessionState: null,
    videoFrames: 0,         /* video.getVideoPlaybackQuality().totalVideoFrames */
    callbackFrames: 0,      /* frames painted, counted with requestVideoFrameCallback */
    framesDecoded: 0,       /* inbound-rtp framesDecoded */
    width: 0,
    height: 0,
    codec: null,            /* the negotiated video codec's mimeType, from getStats */
    video: null,            /* inbound-rtp video counters (VIDEO_COUNTERS) */
    timeline: {},           /* ms after the page loaded when each thing happened first */
    audioCodec: null,
    audioPackets: 0,        /* inbound-rtp audio packetsReceived */
    streamKinds: [],        /* the kinds of the tracks of each remote MediaStream */
    iceState: null,
    /* produce */
    registered: false,
    consumers: 0,
    framesEncoded: 0,       /* outbound-rtp framesEncoded, summed over the consumers (max seen) */
    framesSent: 0,
  };
  window.interop = state;

  function log(text) {
    const line = `${(performance.now() / 1000).toFixed(3)} ${text}`;
    state.log.push(line);
    const pre = document.getElementById("log");
    if (pre) {
      pre.textContent += line + "\n";
    }
  }

  /* Polled counters are seen up to 250 ms late; ICE states and painted frames at once. */
  function noteFirst(what) {
    if (state.timeline[what] === undefined) {
      state.timeline[what] = Math.round(performance.now());
    }
  }

  function fail(text) {
    log(`FAILED: ${text}`);
    if (!state.failure) {
      state.failure = text;
    }
  }

  function errorText(event) {
    const detail = event && event.error ? (event.error.message || String(event.error)) : "";
    return `${event && event.message ? event.message : "error"}${detail ? ": " + detail : ""}`;
  }

  window.addEventListener("error", (event) => {
    state.errors.push(`page: ${event.message}`);
    log(`page error: ${event.message}`);
  });

  function makeApi(meta) {
    if (!window.GstWebRTCAPI) {
      fail("the gstwebrtc-api bundle did not load (window.GstWebRTCAPI is missing)");
      return null;
    }
    /* No public STUN server (the library's default): only loopback host candidates. No
     * reconnection either: a dropped connection is a failure the test must see. */
    return new window.GstWebRTCAPI({
      signalingServerUrl: state.url,
      reconnectionTimeout: 0,
      meta,
      webrtcConfig: { iceServers: [], bundlePolicy: "max-bundle" },
    });
  }

  /* What a test failure reports of the received video, as chrome://webrtc-internals would:
   * whether RTP came at all, whether a key frame was ever decoded, what Chromium asked for. */
  const VIDEO_COUNTERS = ["ssrc", "packetsReceived", "bytesReceived", "packetsLost",
                          "framesReceived", "framesDecoded", "keyFramesDecoded", "framesDropped",
                          "pliCount", "firCount", "nackCount", "retransmittedPacketsReceived"];

  async function pollStats(peerConnection, kind) {
    const report = await peerConnection.getStats();
    let frames = 0;
    let sent = 0;
    let codec = null;
    let width = 0;
    let height = 0;
    let audioPackets = 0;
    let audioCodec = null;
    let video = null;
    report.forEach((stats) => {
      if (stats.type === kind && stats.kind === "audio") {
        audioPackets += (kind === "inbound-rtp" ? stats.packetsReceived : stats.packetsSent) || 0;
        if (stats.codecId && report.get(stats.codecId)) {
          audioCodec = report.get(stats.codecId).mimeType;
        }
      }
      if (stats.type === kind && stats.kind === "video") {
        frames += (kind === "inbound-rtp" ? stats.framesDecoded : stats.framesEncoded) || 0;
        if (kind === "inbound-rtp") {
          video = {};
          for (const key of VIDEO_COUNTERS) {
            video[key] = stats[key];
          }
        }
        sent += stats.framesSent || 0;
        width = stats.frameWidth || width;
        height = stats.frameHeight || height;
        if (stats.codecId && report.get(stats.codecId)) {
          codec = report.get(stats.codecId).mimeType;
        }
      }
    });
    return { frames, sent, codec, width, height, audioPackets, audioCodec, video };
  }

  function consume() {
    const wanted = params.get("producer");
    const video = document.getElementById("video");
    let session = null;

    const api = makeApi({ name: "interop-page-viewer" });
    if (!api) {
      return;
    }

    function countPaintedFrames() {
      if (typeof video.requestVideoFrameCallback !== "function") {
        return;
      }
      const onFrame = () => {
        state.callbackFrames++;
        noteFirst("painted");
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }

    function watch(producer) {
      if (session) {
        return;
      }
      log(`creating a consumer session for producer ${producer.id}`);
      /* offer=1: the consumer sends the offer with its startSession (gstwebrtc-api 3's
       * createConsumerSessionWithOfferOptions) instead of letting the producer offer. */
      session = params.get("offer") === "1"
        ? api.createConsumerSessionWithOfferOptions(producer.id,
                                                    { offerToReceiveAudio: true,
                                                      offerToReceiveVideo: true })
        : api.createConsumerSession(producer.id);
      if (!session) {
        fail("createConsumerSession returned null");
        return;
      }
      state.phase = "session";
      session.addEventListener("error", (event) => {
        state.errors.push(`session: ${errorText(event)}`);
        fail(`consumer session error: ${errorText(event)}`);
      });
      session.addEventListener("stateChanged", () => {
        state.sessionState = session.state;
        log(`consumer session state ${session.state}`);
      });
      session.addEventListener("closed", () => {
        log("consumer session closed");
        if (state.videoFrames < 30) {
          fail("the consumer session closed before enough frames were shown");
        }
      });
      session.addEventListener("rtcPeerConnectionChanged", () => {
        const pc = session.rtcPeerConnection;
        if (pc) {
          pc.addEventListener("iceconnectionstatechange", () => {
            state.iceState = pc.iceConnectionState;
            log(`ICE ${pc.iceConnectionState}`);
            noteFirst(`ice-${pc.iceConnectionState}`);
            if (pc.iceConnectionState === "failed") {
              fail("ICE failed");
            }
          });
        }
      });
      session.addEventListener("streamsChanged", () => {
        const streams = session.streams;
        state.streamKinds = streams.map((s) => s.getTracks().map((t) => t.kind));
        log(`streams changed: ${streams.length} stream(s), tracks ` +
            streams.map((s) => s.getTracks().map((t) => t.kind).join("+")).join(", "));
        if (streams.length > 0 && video.srcObject !== streams[0]) {
          video.srcObject = streams[0];
          video.muted = true;
          video.play().catch((ex) => {
            state.errors.push(`play: ${ex}`);
            log(`video.play() failed: ${ex}`);
          });
        }
      });
      if (!session.connect()) {
        fail("consumer session connect() failed");
      }
    }

    api.registerConnectionListener({
      connected(peerId) {
        state.peerId = peerId;
        state.phase = "connected";
        log(`connected to the signalling server as ${peerId}`);
      },
      disconnected() {
        log("disconnected from the signalling server");
        if (state.videoFrames < 30) {
          fail("disconnected from the signalling server");
        }
      },
    });
    api.registerPeerListener({
      producerAdded(producer) {
        const name = producer.meta ? producer.meta.name : undefined;
        state.producersSeen.push({ id: producer.id, name });
        log(`producer added: ${producer.id} (${name})`);
        if (name === wanted) {
          watch(producer);
        }
      },
      producerRemoved(producer) {
        log(`producer removed: ${producer.id}`);
        if (session && producer.id === session.peerId && state.videoFrames < 30) {
          fail("the producer went away");
        }
      },
    });

    countPaintedFrames();
    setInterval(async () => {
      const quality = video.getVideoPlaybackQuality();
      state.videoFrames = quality.totalVideoFrames;
      const pc = session ? session.rtcPeerConnection : null;
      if (pc) {
        try {
          const stats = await pollStats(pc, "inbound-rtp");
          state.framesDecoded = stats.frames;
          state.video = stats.video || state.video;
          for (const key of ["packetsReceived", "keyFramesDecoded", "pliCount", "nackCount"]) {
            if (state.video && state.video[key] > 0) {
              noteFirst(key);
            }
          }
          state.codec = stats.codec || state.codec;
          state.width = stats.width || state.width;
          state.height = stats.height || state.height;
          state.audioPackets = stats.audioPackets;
          state.audioCodec = stats.audioCodec || state.audioCodec;
        } catch (ex) {
          log(`getStats failed: ${ex}`);
        }
      }
    }, 250);
  }

  /* codec=vp8|h264 (produce): the browser puts this codec first in its offers. gstwebrtc-api
   * offers as soon as a consumer comes, with no hook before it, so the preference is set on
   * the transceivers when the library asks for its offer. */
  function preferCodec(mimeType) {
    const capabilities = RTCRtpSender.getCapabilities("video");
    if (!capabilities) {
      fail("RTCRtpSender.getCapabilities is not available");
      return;
    }
    const preferred = capabilities.codecs.filter((c) => c.mimeType.toLowerCase() === mimeType);
    if (preferred.length === 0) {
      fail(`Chromium cannot send ${mimeType}`);
      return;
    }
    const others = capabilities.codecs.filter((c) => c.mimeType.toLowerCase() !== mimeType);
    const setLocalDescription = RTCPeerConnection.prototype.setLocalDescription;
    RTCPeerConnection.prototype.setLocalDescription = function (...args) {
      if (args.length === 0 && this.signalingState === "stable") {
        for (const transceiver of this.getTransceivers()) {
          if (transceiver.sender.track && transceiver.sender.track.kind === "video") {
            transceiver.setCodecPreferences([...preferred, ...others]);
          }
        }
      }
      return setLocalDescription.apply(this, args);
    };
  }

  async function produce() {
    const name = params.get("name");
    if (params.get("codec") === "h264") {
      preferCodec("video/h264");
    } else if (params.get("codec") === "vp8") {
      preferCodec("video/vp8");
    }
    const clientSessions = new Set();
    let stream;

    try {
      /* The fake camera and microphone of Chromium (--use-fake-device-for-media-stream);
       * getUserMedia needs a secure context, which this https page is. */
      stream = await navigator.mediaDevices.getUserMedia({
        video: { width: 320, height: 240, frameRate: 30 },
        audio: true,
      });
    } catch (ex) {
      fail(`getUserMedia failed: ${ex}`);
      return;
    }
    log(`got a stream with tracks ${stream.getTracks().map((t) => t.kind).join("+")}`);

    const api = makeApi({ name });
    if (!api) {
      return;
    }

    api.registerConnectionListener({
      connected(peerId) {
        state.peerId = peerId;
        state.phase = "connected";
        log(`connected to the signalling server as ${peerId}`);
        const session = api.createProducerSession(stream);
        if (!session) {
          fail("createProducerSession returned null");
          return;
        }
        session.addEventListener("error", (event) => {
          state.errors.push(`producer: ${errorText(event)}`);
          fail(`producer session error: ${errorText(event)}`);
        });
        session.addEventListener("stateChanged", () => {
          log(`producer session state ${session.state}`);
          if (session.state === window.GstWebRTCAPI.SessionState.streaming) {
            state.registered = true;
            state.phase = "registered";
          }
        });
        session.addEventListener("closed", () => {
          log("producer session closed");
          fail("the producer session closed");
        });
        session.addEventListener("clientConsumerAdded", (event) => {
          const client = event.detail;
          state.consumers++;
          clientSessions.add(client);
          log(`consumer ${client.peerId} joined (session ${client.sessionId})`);
          const pc = client.rtcPeerConnection;
          if (pc) {
            pc.addEventListener("iceconnectionstatechange", () => {
              state.iceState = pc.iceConnectionState;
              log(`ICE ${pc.iceConnectionState}`);
            });
          }
        });
        session.addEventListener("clientConsumerRemoved", (event) => {
          clientSessions.delete(event.detail);
          log(`consumer ${event.detail.peerId} left`);
        });
        if (!session.start()) {
          fail("producer session start() failed");
        }
      },
      disconnected() {
        log("disconnected from the signalling server");
        fail("disconnected from the signalling server");
      },
    });

    setInterval(async () => {
      let encoded = 0;
      let sent = 0;
      for (const client of clientSessions) {
        const pc = client.rtcPeerConnection;
        if (!pc) {
          continue;
        }
        try {
          const stats = await pollStats(pc, "outbound-rtp");
          encoded += stats.frames;
          sent += stats.sent;
          state.codec = stats.codec || state.codec;
        } catch (ex) {
          log(`getStats failed: ${ex}`);
        }
      }
      /* Consumers that left take their statistics with them: keep the most seen. */
      state.framesEncoded = Math.max(state.framesEncoded, encoded);
      state.framesSent = Math.max(state.framesSent, sent);
    }, 250);
  }

  window.addEventListener("DOMContentLoaded", () => {
    log(`mode ${state.mode}, signalling server ${state.url}`);
    if (!state.url) {
      fail("no url parameter");
    } else if (state.mode === "consume") {
      consume();
    } else if (state.mode === "produce") {
      produce();
    } else {
      fail(`unknown mode '${state.mode}'`);
    }
  });
})();
