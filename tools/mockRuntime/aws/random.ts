import * as random from "@pulumi/random";
import { ServiceMocks } from "./context";
import { hex } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";

type RandomIdInputs = MockInputs<random.RandomIdArgs, "byteLength" | "prefix">;

/**
 * The random provider's RandomId: byteLength bytes, as hex (what the cluster's name suffix is). New in each
 * lifetime of the stack, the same within one, as the state keeps them.
 */
export const randomMocks: ServiceMocks = ({ stackLifetime }) => ({
    resources: {
        "random:index/randomId:RandomId": (args) => {
            const { byteLength = 0, prefix = "" } = args.inputs as RandomIdInputs;
            const bytes = Buffer.from(hex(`random/${args.name}/lifetime-${stackLifetime}`, 2 * byteLength), "hex");
            return {
                id: bytes.toString("base64url"),
                state: { hex: `${prefix}${bytes.toString("hex")}` } satisfies MockOutputs<random.RandomId>,
            };
        },
    },
});
