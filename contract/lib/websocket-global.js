// Node 20 has no global WebSocket; nakama-js expects one for its realtime
// socket. Import this module before '@heroiclabs/nakama-js'.
import WebSocket from 'ws';

if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = WebSocket;
}
