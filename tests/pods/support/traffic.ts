/** A client that keeps asking, as a user's browser would, and counts every answer that was not a 200. */

export interface TrafficResult {
    readonly sent: number;
    readonly failed: number;
    /** The first failures, as "status N: body" or the error's message. */
    readonly failures: readonly string[];
    /** When each failed request was sent (Date.now()), every one of them, in order. */
    readonly failedSentAt: readonly number[];
    /** Pod names that answered (the backend's /api/info names its pod). */
    readonly pods: ReadonlySet<string>;
}

export interface Traffic {
    stop(): Promise<TrafficResult>;
}

/** GETs `url` one request after another, `pauseMs` apart, each with a 10 s timeout, until stopped. */
export function startTraffic(url: string, pauseMs = 50): Traffic {
    let running = true;
    let sent = 0;
    const failures: string[] = [];
    let failed = 0;
    const failedSentAt: number[] = [];
    const pods = new Set<string>();
    const loop = (async () => {
        while (running) {
            sent += 1;
            const sentAt = Date.now();
            try {
                const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
                const body = await response.text();
                if (response.status !== 200) {
                    failed += 1;
                    failedSentAt.push(sentAt);
                    failures.push(`status ${response.status}: ${body.slice(0, 200)}`);
                } else {
                    const pod = (JSON.parse(body) as { pod?: string }).pod;
                    if (pod !== undefined) {
                        pods.add(pod);
                    }
                }
            } catch (error) {
                failed += 1;
                failedSentAt.push(sentAt);
                failures.push(String(error));
            }
            await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
    })();
    return {
        async stop() {
            running = false;
            await loop;
            return { sent, failed, failures: failures.slice(0, 10), failedSentAt, pods };
        },
    };
}
