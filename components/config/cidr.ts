const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Whether `value` is an IPv4 CIDR block in canonical form: four octets 0-255, a prefix 0-32, and no host
 * bits set ("10.0.0.1/8" is refused: AWS would read it as 10.0.0.0/8, which is rarely what was meant).
 */
export function isCanonicalIpv4Cidr(value: string): boolean {
    const match = CIDR.exec(value);
    if (!match) {
        return false;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((octet, index) => octet > 255 || match[index + 1] !== String(octet)) || prefix > 32) {
        return false;
    }
    // Unsigned 32-bit arithmetic: `>>> 0` keeps the top bit from turning the number negative.
    const address = octets.reduce((acc, octet) => ((acc << 8) | octet) >>> 0, 0);
    const hostMask = prefix === 32 ? 0 : 0xffffffff >>> prefix;
    return (address & hostMask) >>> 0 === 0;
}
