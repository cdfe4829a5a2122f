/** Sends `name` to `pid` (a negative pid: its process group); a process that is already gone is no error. */
export function signal(pid: number, name: NodeJS.Signals): void {
    try {
        process.kill(pid, name);
    } catch (error) {
        // ESRCH: already gone, which is what a stop wants.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
            throw error;
        }
    }
}
