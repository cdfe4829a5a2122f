/**
 * HTTP on a bare socket, for what fetch cannot send or time: malformed requests, a client that trickles its
 * request, and requests from another loopback address (127.0.0.2 is a different client to NGINX's limits).
 */
import * as net from "node:net";
import { LOOPBACK } from "./processes";

export interface RawAnswer {
    /** The status from the status line; undefined when the server closed without answering. */
    readonly status: number | undefined;
    readonly headers: ReadonlyMap<string, string>;
    readonly body: string;
    /** Milliseconds from connecting until the server closed the connection. */
    readonly closedAfterMs: number;
}

export interface RawOptions {
    /** Source address of the connection. Default: 127.0.0.1. */
    readonly localAddress?: string;
    /** Give up (and fail) after this long. Default: 15000. */
    readonly timeoutMs?: number;
}

/** Parses what a server sent on one connection (one answer, no chunked bodies: NGINX's errors have a length). */
export function parseAnswer(text: string, closedAfterMs: number): RawAnswer {
    const headerEnd = text.indexOf("\r\n\r\n");
    if (text === "" || headerEnd < 0) {
        return { status: undefined, headers: new Map(), body: text, closedAfterMs };
    }
    const [statusLine, ...headerLines] = text.slice(0, headerEnd).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    const headers = new Map(
        headerLines.map((line) => {
            const colon = line.indexOf(":");
            return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
        }),
    );
    return { status, headers, body: text.slice(headerEnd + 4), closedAfterMs };
}

/**
 * Opens a connection to `port`, writes each chunk of `chunks` after its delay (ms since the previous one),
 * and returns what the server sent by the time it closed the connection. Chunks still due when the server
 * closes are not sent.
 */
export function rawExchange(
    port: number,
    chunks: readonly { readonly data: string; readonly afterMs?: number }[],
    options: RawOptions = {},
): Promise<RawAnswer> {
    const timeoutMs = options.timeoutMs ?? 15000;
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const socket = net.connect({ host: LOOPBACK, port, localAddress: options.localAddress });
        const received: Buffer[] = [];
        const timers: NodeJS.Timeout[] = [];
        let closed = false;
        const giveUp = setTimeout(() => {
            socket.destroy();
            reject(new Error(`The server did not close the connection within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on("data", (data) => received.push(data));
        // A reset (NGINX's reset_timedout_connection) ends the connection like a close does.
        socket.on("error", () => undefined);
        socket.on("close", () => {
            closed = true;
            timers.forEach(clearTimeout);
            clearTimeout(giveUp);
            resolve(parseAnswer(Buffer.concat(received).toString("latin1"), Date.now() - started));
        });
        socket.on("connect", () => {
            let at = 0;
            for (const chunk of chunks) {
                at += chunk.afterMs ?? 0;
                timers.push(
                    setTimeout(() => {
                        if (!closed) {
                            socket.write(chunk.data, "latin1");
                        }
                    }, at),
                );
            }
        });
    });
}

/** A GET of `path` for the host app.test, with `headers` (complete lines) added, that asks for the connection to close. */
export function getRequest(path: string, headers = ""): string {
    return `GET ${path} HTTP/1.1\r\nHost: app.test\r\n${headers}Connection: close\r\n\r\n`;
}

/** One complete request on its own connection, which the request asks the server to close after answering. */
export function rawRequest(port: number, request: string, options: RawOptions = {}): Promise<RawAnswer> {
    return rawExchange(port, [{ data: request }], options);
}
