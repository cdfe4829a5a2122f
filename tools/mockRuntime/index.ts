export { AwsAccountOptions, AwsApiError } from "./awsAccount";
export { awsMocks, MOCK_ACCOUNT_ID } from "./awsMocks";
export { previewAwsMocks } from "./previewAwsMocks";
export { createdObject, KINDS_IN_APPLY_ORDER, KubernetesObject } from "./kubernetesObjects";
export { MockTable, RecordedResource, RecordingMocks } from "./recordingMocks";
export {
    MockStackSettings,
    PROJECT_DIR,
    UNKNOWN_OUTPUT,
    ProgramRun,
    programMocks,
    resourceKey,
    runInMockStack,
    runProgram,
    RunOptions,
} from "./runProgram";
export { resolveStackConfig } from "./stackConfig";
