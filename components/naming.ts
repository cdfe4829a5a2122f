/**
 * Child resource names: `${parent}-${role}`. Names come from roles, never from list positions, so that
 * adding or reordering a child never renames (and so replaces) another.
 */
export function childName(parent: string, role: string): string {
    return `${parent}-${role}`;
}
