import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseImageReference } from "../../components/config";
import { versionOfImage } from "../../components/images";
import { checksumOf, frontendContent } from "../../components/app/frontendContent";
import { hashDirectory } from "../../components/images";

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempTree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-k8s-"));
    tempDirs.push(dir);
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
}

describe("source hashing", () => {
    const files = { "app.py": "print(1)\n", "pkg/mod.py": "x = 1\n", Dockerfile: "FROM scratch\n" };

    it("gives the same hash for the same files wherever they are", () => {
        assert.equal(hashDirectory(tempTree(files)), hashDirectory(tempTree(files)));
        assert.match(hashDirectory(tempTree(files)), /^[0-9a-f]{64}$/);
    });

    it("changes when a file's content, name or presence changes", () => {
        const base = hashDirectory(tempTree(files));
        assert.notEqual(hashDirectory(tempTree({ ...files, "app.py": "print(2)\n" })), base);
        assert.notEqual(hashDirectory(tempTree({ ...files, "extra.txt": "" })), base);
        const { "pkg/mod.py": moved, ...rest } = files;
        assert.notEqual(hashDirectory(tempTree({ ...rest, "pkg/other.py": moved })), base);
    });

    it("ignores what never reaches the image: tests and caches", () => {
        const base = hashDirectory(tempTree(files));
        assert.equal(
            hashDirectory(
                tempTree({
                    ...files,
                    "tests/test_app.py": "def test(): pass\n",
                    "__pycache__/app.cpython-311.pyc": "\0",
                }),
            ),
            base,
        );
    });
});

describe("frontend content", () => {
    const page = { "index.html": "<h1>hi</h1>", "app.js": "1", "styles.css": "a{}" };

    it("holds nginx.conf and every page file, and a checksum of all of it", () => {
        const content = frontendContent("backend.demo.svc.cluster.local:80", tempTree(page));
        assert.deepEqual(Object.keys(content.data).sort(), ["app.js", "index.html", "nginx.conf", "styles.css"]);
        assert.deepEqual(content.pageFiles, ["app.js", "index.html", "styles.css"]);
        assert.equal(content.checksum, checksumOf(content.data));
    });

    it("changes the checksum when the page changes, and only then", () => {
        const before = frontendContent("backend.demo.svc.cluster.local:80", tempTree(page)).checksum;
        const same = frontendContent("backend.demo.svc.cluster.local:80", tempTree(page)).checksum;
        const edited = frontendContent(
            "backend.demo.svc.cluster.local:80",
            tempTree({ ...page, "index.html": "<h1>hello</h1>" }),
        );
        assert.equal(same, before);
        assert.notEqual(edited.checksum, before);
    });

    it("changes the checksum when the backend address changes", () => {
        const dir = tempTree(page);
        assert.notEqual(
            frontendContent("backend.a.svc.cluster.local:80", dir).checksum,
            frontendContent("backend.b.svc.cluster.local:80", dir).checksum,
        );
    });

    it("refuses a page directory without index.html", () => {
        const dir = tempTree({ "app.js": "1" });
        assert.throws(() => frontendContent("backend.demo.svc.cluster.local:80", dir), {
            message: `The page directory ${dir} has no index.html`,
        });
    });

    it("keeps checksums of different splits of the same text apart", () => {
        assert.notEqual(checksumOf({ ab: "c" }), checksumOf({ a: "bc" }));
    });
});

describe("image references", () => {
    const cases: [string, ReturnType<typeof parseImageReference>][] = [
        ["nginx:1.27", { repository: "nginx", tag: "1.27", digest: undefined }],
        ["localhost:5000/a/b-c:v1", { repository: "localhost:5000/a/b-c", tag: "v1", digest: undefined }],
        [`x@sha256:${"0".repeat(64)}`, { repository: "x", tag: undefined, digest: `sha256:${"0".repeat(64)}` }],
        ["acme/Backend:1", undefined],
        ["a:b:c", undefined],
        ["", undefined],
    ];
    for (const [reference, expected] of cases) {
        it(`parses ${JSON.stringify(reference)}`, () => {
            assert.deepEqual(parseImageReference(reference), expected);
        });
    }

    it("derives a label-safe version from a tag or digest", () => {
        assert.equal(versionOfImage("nginx:1.27.4-alpine"), "1.27.4-alpine");
        assert.equal(versionOfImage(`x@sha256:${"ab".repeat(32)}`), "abababababab");
        assert.equal(versionOfImage("x:_underscore_first"), undefined);
    });
});
