import * as dockerBuild from "@pulumi/docker-build";
import { ServiceMocks } from "./context";
import { hex } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";

type ImageInputs = MockInputs<dockerBuild.ImageArgs, "context" | "tags">;

/** An image build and push: its digest (the program pins the image by it), derived from the context and tags. */
export const dockerBuildMocks: ServiceMocks = () => ({
    resources: {
        "docker-build:index:Image": (args) => {
            const { context, tags = [] } = args.inputs as ImageInputs;
            const contextHash = hex(`context/${JSON.stringify(context)}`, 64);
            return {
                id: `${args.name}-image-id`,
                state: {
                    digest: `sha256:${hex(`digest/${contextHash}/${tags.join(",")}`, 64)}`,
                } satisfies MockOutputs<dockerBuild.Image>,
            };
        },
    },
});
