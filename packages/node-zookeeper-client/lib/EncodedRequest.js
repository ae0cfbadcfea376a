/**
 * zk-lock addition: a request its caller encoded (Client.queueEncoded). Licensed under the MIT
 * License, as the rest of this package; see the accompanying LICENSE file.
 */

var assert = require('assert');
var jute = require('./jute');

/**
 * The frame ZooKeeper reads (length, xid, type, payload) and the decoder of
 * its reply's payload. It passes through the connection's queues as the
 * client's own jute.Request does: `header` holds the type the queues read and
 * the xid they assign, and toBuffer() writes that xid into the frame.
 *
 * @class EncodedRequest
 * @constructor
 * @param frame {Buffer} The whole request.
 * @param [decode] {Function} Reads a successful reply's payload: (frame, offset).
 */
function EncodedRequest(frame, decode) {
    var type;

    assert(
        Buffer.isBuffer(frame) && frame.length >= 12 &&
            frame.readInt32BE(0) === frame.length - 4,
        'frame must be a Buffer of a 4-byte length of the rest, the request ' +
            'header and the payload.'
    );

    type = frame.readInt32BE(8);

    // Requests the server answers with the xid they were sent with; not the
    // session's own (ping, auth, set watches, close, ...).
    assert(
        type > 0 && type < jute.OP_CODES.AUTH && type !== jute.OP_CODES.PING,
        'frame must hold a request the server answers by its xid, not type ' +
            type + '.'
    );

    assert(
        decode === undefined || typeof decode === 'function',
        'decode must be a function or undefined.'
    );

    this.header = { xid : 0, type : type };
    this.frame = frame;
    this.decode = decode;
}

EncodedRequest.prototype.toBuffer = function () {
    this.frame.writeInt32BE(this.header.xid, 4);
    return this.frame;
};

module.exports = EncodedRequest;
