// loopback.js: makes every server of a Node.js process listen on 127.0.0.1 only.
//
// Copyright 2026 The Beacon developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// simple-whip-server calls listen(port, callback), which binds every interface, and has no
// setting to choose one. Loaded with `node -r loopback.js`, this adds the address.

'use strict';

const net = require('net');
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^[0-9]+$/.test(args[0]))) {
    const port = Number(args.shift());
    const callbacks = args.filter((arg) => typeof arg === 'function');
    return listen.call(this, port, '127.0.0.1', ...callbacks);
  }
  return listen.apply(this, args);
};
