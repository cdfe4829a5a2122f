export {
    BACKEND_DIR,
    BackendImage,
    backendBuildRequest,
    resolveBackendImage,
    shortHash,
    versionOfImage,
} from "./backendImage";
export { ImageBuilder, ImageBuildRequest, ImagePullPolicy } from "./imageBuilder";
export { hashDirectory } from "./sourceHash";
