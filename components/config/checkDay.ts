/**
 * The day the EKS version checks are made on (support windows, the upgrade policy, the 90-day warning): the real
 * date, unless pinned. The mock runtime pins it for a run (RunOptions.today), so that a test's result does not
 * move with the calendar.
 */
let pinnedDay: Date | undefined;

export function checkDay(): Date {
    return pinnedDay ?? new Date();
}

/** Pins the day checkDay returns; undefined goes back to the real date. */
export function pinCheckDay(day: Date | undefined): void {
    pinnedDay = day;
}
