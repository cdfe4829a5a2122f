export { awsMocks, MOCK_ACCOUNT_ID } from "./awsMocks";
export { createdObject, KubernetesObject } from "./kubernetesObjects";
export { MockTable, RecordedResource, RecordingMocks } from "./recordingMocks";
export {
    MockStackSettings,
    PROJECT_DIR,
    ProgramRun,
    programMocks,
    resourceKey,
    runInMockStack,
    runProgram,
    RunOptions,
} from "./runProgram";
export { resolveStackConfig } from "./stackConfig";
