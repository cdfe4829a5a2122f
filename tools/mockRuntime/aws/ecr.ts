import * as aws from "@pulumi/aws";
import { ServiceMocks } from "./context";
import { autoName, MOCK_ACCOUNT_ID } from "./ids";
import { MockInputs, MockOutputs, MockValue } from "./mockOutputs";

/**
 * ECR: a repository's name, URL and registry (what the image builder pushes to and logs in to), a lifecycle policy
 * refused for a repository not created yet, and the registry's login.
 */
export const ecrMocks: ServiceMocks = ({ account, regionOf }) => ({
    resources: {
        "aws:ecr/repository:Repository": (args) => {
            const region = regionOf(args.provider, args.name);
            const given = (args.inputs as MockInputs<aws.ecr.RepositoryArgs, "name">).name;
            const name = given ?? autoName(args.name).toLowerCase();
            account.addRepository(name);
            return {
                id: name,
                state: {
                    name,
                    registryId: MOCK_ACCOUNT_ID,
                    repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${name}`,
                } satisfies MockOutputs<aws.ecr.Repository>,
            };
        },

        "aws:ecr/lifecyclePolicy:LifecyclePolicy": (args) => {
            const { repository } = args.inputs as MockInputs<aws.ecr.LifecyclePolicyArgs, "repository">;
            account.requireRepository(repository);
            return { id: String(repository), state: {} satisfies MockOutputs<aws.ecr.LifecyclePolicy> };
        },
    },

    calls: {
        "aws:ecr/getAuthorizationToken:getAuthorizationToken": () =>
            ({
                userName: "AWS",
                password: "mock-ecr-password",
            }) satisfies MockValue<aws.ecr.GetAuthorizationTokenResult>,
    },
});
