/*
 * The page's behaviour. Plain JavaScript, no build step, loaded from 'self' only (the CSP forbids inline
 * scripts). Text from the API is always set with textContent, never parsed as HTML: the backend echoes
 * what users type.
 *
 * Stable hooks for browser tests (each element also carries data-testid with the same value):
 *   message-form, message-input, send-button, send-20-button   the form
 *   status (role=status), error (role=alert, hidden when empty)
 *   backend-status (data-state = unknown | available | unavailable), backend-version, backend-pod, backend-node
 *   answer-panel, answer-text, answer-id, answer-received-at, served-by-pod, served-by-node
 *   distribution-summary, distribution-table (one row per pod in #distribution-body, data-pod = pod name)
 */
"use strict";

(() => {
    // Poll starts are a second apart and each gives up after a second, so an outage shows within 2 s.
    const POLL_INTERVAL_MS = 1000;
    const POLL_TIMEOUT_MS = 1000;
    // Longer than NGINX's proxy_read_timeout (10 s), so NGINX's own 504 answer arrives first.
    const SEND_TIMEOUT_MS = 12000;
    const BURST_SIZE = 20;
    // A few requests in flight at once: NGINX then opens several connections to the Service, and
    // kube-proxy picks a pod per connection, so the burst can spread.
    const BURST_CONCURRENCY = 4;
    const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);
    // Friendlier words for the API's validation codes; any other code shows the API's own message.
    // too_long only shows when something bypassed the input's maxlength (a script, an old browser).
    const FIELD_MESSAGES = {
        empty_field: "Message is empty.",
        too_long: "Message is longer than 1000 characters.",
    };

    const element = (id) => {
        const found = document.getElementById(id);
        if (found === null) {
            throw new Error(`The page has no #${id}`);
        }
        return found;
    };
    const ui = {
        form: element("message-form"),
        input: element("message-input"),
        send: element("send-button"),
        send20: element("send-20-button"),
        status: element("status"),
        error: element("error"),
        backendStatus: element("backend-status"),
        backendVersion: element("backend-version"),
        backendPod: element("backend-pod"),
        backendNode: element("backend-node"),
        answerEmpty: element("answer-empty"),
        answerDetails: element("answer-details"),
        answerText: element("answer-text"),
        answerId: element("answer-id"),
        answerReceivedAt: element("answer-received-at"),
        servedByPod: element("served-by-pod"),
        servedByNode: element("served-by-node"),
        distributionSummary: element("distribution-summary"),
        distributionTable: element("distribution-table"),
        distributionBody: element("distribution-body"),
    };

    /** An API call that failed. kind: "unavailable" (no backend behind NGINX), "rejected" (the API said no), "unexpected". */
    class ApiError extends Error {
        constructor(kind, message, details = {}) {
            super(message);
            this.kind = kind;
            this.status = details.status ?? 0;
            this.code = details.code;
            this.field = details.field;
        }
    }

    async function callApi(path, { method = "GET", body, timeoutMs }) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        let response;
        let payload;
        try {
            response = await fetch(path, {
                method,
                cache: "no-store",
                headers:
                    body === undefined
                        ? { Accept: "application/json" }
                        : { Accept: "application/json", "Content-Type": "application/json" },
                body: body === undefined ? undefined : JSON.stringify(body),
                signal: controller.signal,
            });
            payload = await response.json().catch(() => null);
        } catch {
            throw new ApiError(
                "unavailable",
                controller.signal.aborted ? "no answer in time" : "the network request failed",
            );
        } finally {
            clearTimeout(timer);
        }
        if (response.ok && payload !== null) {
            return payload;
        }
        const apiError = payload !== null && typeof payload.error === "object" ? payload.error : null;
        const message = typeof apiError?.message === "string" ? apiError.message : `HTTP ${response.status}`;
        const details = { status: response.status, code: apiError?.code, field: apiError?.field };
        if (UNAVAILABLE_STATUSES.has(response.status)) {
            // NGINX's own answer: nothing behind it could take the request.
            throw new ApiError("unavailable", `HTTP ${response.status}`, details);
        }
        throw new ApiError(apiError !== null ? "rejected" : "unexpected", message, details);
    }

    const postMessage = (text) =>
        callApi("/api/messages", { method: "POST", body: { text }, timeoutMs: SEND_TIMEOUT_MS });

    // ----- errors and status -----

    /**
     * What the error area shows: "request" (this send failed), "limit" (typing or pasting ran into maxlength;
     * cleared once the text is shorter) or "outage" (cleared when the backend is back).
     */
    let errorKind = null;

    function showError(message, kind) {
        errorKind = kind;
        ui.error.textContent = message;
        ui.error.hidden = false;
    }

    function clearError(kind) {
        if (errorKind !== kind) {
            return;
        }
        errorKind = null;
        ui.error.textContent = "";
        ui.error.hidden = true;
        ui.input.removeAttribute("aria-invalid");
    }

    function setStatus(message) {
        ui.status.textContent = message;
    }

    function showFailure(error) {
        if (error.kind === "unavailable") {
            setBackendUnavailable(error.message);
            showError(
                `Backend unavailable (${error.message}): the message was not sent. The page will notice when it is back.`,
                "outage",
            );
        } else if (error.kind === "rejected" && error.field === "text") {
            showError(FIELD_MESSAGES[error.code] ?? error.message, "request");
            ui.input.setAttribute("aria-invalid", "true");
            ui.input.focus();
        } else {
            showError(`Not sent: ${error.message}`, "request");
        }
    }

    // ----- backend availability -----

    let backendState = "unknown";

    function setBackendAvailable(info) {
        ui.backendVersion.textContent = info.version ?? "unknown";
        ui.backendPod.textContent = info.pod ?? "unknown";
        ui.backendNode.textContent = info.node ?? "unknown";
        if (backendState !== "available") {
            backendState = "available";
            ui.backendStatus.dataset.state = backendState;
            ui.backendStatus.textContent = "Backend available.";
            clearError("outage");
        }
    }

    function setBackendUnavailable(reason) {
        // Announce the change once, not on every failed poll.
        if (backendState !== "unavailable") {
            backendState = "unavailable";
            ui.backendStatus.dataset.state = backendState;
            ui.backendStatus.textContent = "Backend unavailable. Checking again every second…";
            showError(`Backend unavailable (${reason}). The page will notice when it is back.`, "outage");
        }
    }

    async function pollBackend() {
        const started = Date.now();
        if (!document.hidden) {
            try {
                setBackendAvailable(await callApi("/api/info", { timeoutMs: POLL_TIMEOUT_MS }));
            } catch (error) {
                if (error instanceof ApiError && error.kind === "unavailable") {
                    setBackendUnavailable(error.message);
                }
            }
        }
        setTimeout(pollBackend, Math.max(0, POLL_INTERVAL_MS - (Date.now() - started)));
    }

    // ----- answers -----

    function showAnswer(answer) {
        ui.answerText.textContent = answer.text;
        ui.answerId.textContent = String(answer.id);
        ui.answerReceivedAt.textContent = answer.received_at;
        ui.servedByPod.textContent = answer.served_by?.pod ?? "unknown";
        ui.servedByNode.textContent = answer.served_by?.node ?? "unknown";
        ui.answerEmpty.hidden = true;
        ui.answerDetails.hidden = false;
    }

    function setBusy(busy) {
        ui.send.disabled = busy;
        ui.send20.disabled = busy;
        ui.form.setAttribute("aria-busy", String(busy));
    }

    /**
     * The input's maxlength stops typing and cuts pasted text at the limit without a word; say so, once, before
     * the browser drops the characters.
     */
    function warnAtLimit(event) {
        if (!event.inputType.startsWith("insert")) {
            return;
        }
        const inserted = event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
        const selected = (ui.input.selectionEnd ?? 0) - (ui.input.selectionStart ?? 0);
        if (ui.input.value.length - selected + inserted.length > ui.input.maxLength) {
            showError(
                `Messages are limited to ${ui.input.maxLength} characters: the text beyond that was not added.`,
                "limit",
            );
        }
    }

    async function sendOne(event) {
        event.preventDefault();
        clearError("request");
        clearError("limit");
        setBusy(true);
        setStatus("Sending…");
        try {
            const answer = await postMessage(ui.input.value);
            showAnswer(answer);
            ui.input.value = "";
            setStatus(`Sent. Pod ${answer.served_by?.pod ?? "unknown"} answered.`);
        } catch (error) {
            setStatus("Not sent.");
            showFailure(error);
        } finally {
            setBusy(false);
            ui.input.focus();
        }
    }

    async function sendBurst() {
        clearError("request");
        clearError("limit");
        setBusy(true);
        setStatus(`Sending ${BURST_SIZE} messages…`);
        const answers = [];
        const failures = [];
        let next = 1;
        const worker = async () => {
            while (next <= BURST_SIZE) {
                const number = next++;
                try {
                    answers.push(await postMessage(`Load-balancing test ${number} of ${BURST_SIZE}`));
                } catch (error) {
                    failures.push(error);
                }
            }
        };
        try {
            await Promise.all(Array.from({ length: BURST_CONCURRENCY }, worker));
            if (answers.length > 0) {
                showAnswer(answers[answers.length - 1]);
            }
            showDistribution(answers, failures);
            setStatus(`${answers.length} of ${BURST_SIZE} messages answered.`);
            if (failures.length > 0) {
                showFailure(failures[0]);
            }
        } finally {
            setBusy(false);
        }
    }

    function showDistribution(answers, failures) {
        const byPod = new Map();
        for (const answer of answers) {
            const pod = answer.served_by?.pod ?? "unknown";
            const entry = byPod.get(pod) ?? { node: answer.served_by?.node ?? "unknown", count: 0 };
            entry.count += 1;
            byPod.set(pod, entry);
        }
        const rows = [...byPod.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
        ui.distributionBody.replaceChildren(...rows.map(([pod, entry]) => distributionRow(pod, entry)));
        ui.distributionTable.hidden = rows.length === 0;

        const nodes = new Set(rows.map(([, entry]) => entry.node));
        const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
        let summary = `${plural(answers.length, "answer")} from ${plural(byPod.size, "pod")} on ${plural(nodes.size, "node")}`;
        if (failures.length > 0) {
            summary += `; ${failures.length} failed`;
        }
        ui.distributionSummary.textContent = `${summary}.`;
    }

    function distributionRow(pod, entry) {
        const row = document.createElement("tr");
        row.dataset.pod = pod;
        const share = document.createElement("meter");
        share.min = 0;
        share.max = BURST_SIZE;
        share.value = entry.count;
        share.textContent = `${entry.count} of ${BURST_SIZE}`;
        const percent = document.createElement("span");
        percent.textContent = ` ${Math.round((100 * entry.count) / BURST_SIZE)}%`;
        for (const content of [pod, entry.node, String(entry.count), [share, percent]]) {
            const cell = document.createElement("td");
            if (Array.isArray(content)) {
                cell.append(...content);
            } else {
                cell.textContent = content;
            }
            row.append(cell);
        }
        return row;
    }

    ui.form.addEventListener("submit", sendOne);
    ui.send20.addEventListener("click", sendBurst);
    ui.input.addEventListener("beforeinput", warnAtLimit);
    ui.input.addEventListener("input", () => {
        clearError("request");
        if (ui.input.value.length < ui.input.maxLength) {
            clearError("limit");
        }
    });
    pollBackend();
})();
