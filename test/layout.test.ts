/*
 * The house's map stays true: docs/development.md's diagram is the code's folder-level import graph, no
 * folder of product code holds more than a reader can scan, and the layout table lists every folder's files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { codeIn, readDoc, tablesIn } from "./helpers/docs";
import { PROJECT_ROOT } from "./helpers/files";
import { folderArrows, folderOf, ImportGraph, importCircles, importGraph, mapProblems, productFiles, readMermaid } from "./helpers/imports";

/** A reader scans about a dozen names at a glance (issue 29's rule). */
const MOST_FILES_IN_A_FOLDER = 12;

function mermaidBlocks(text: string): string[] {
  return [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe("the map in docs/development.md", () => {
  const graph = importGraph();
  const [importsMap, pathMap] = mermaidBlocks(readDoc("docs/development.md"));

  test("GIVEN the code's imports THEN the diagram has exactly its folders and arrows", () => {
    expect(importsMap).toBeDefined();
    expect(mapProblems(readMermaid(importsMap), graph)).toEqual([]);
  });

  test("GIVEN an import the diagram does not draw, or a drawn arrow the code lost THEN the check names it", () => {
    const map = readMermaid(importsMap);
    const added = new Map(graph);
    added.set("runner/scheduler.ts", [...(graph.get("runner/scheduler.ts") ?? []), "rollout/run.ts"]);
    expect(mapProblems(map, added)).toEqual(["an import the map misses: runner --> rollout"]);
    const lost = new Map([...graph].map(([file, imports]) => [file, file.startsWith("main.ts") ? imports.filter((to) => !to.startsWith("app/common/")) : imports]));
    expect(mapProblems(map, lost)).toEqual(["drawn, but no import: main.ts --> app/common"]);
  });

  test("GIVEN a folder the code does not have, a misspelt line or a missing folder THEN the check names each", () => {
    const text = `${importsMap}\n  ghost["app/ghost"]\n  main -> app_common\n`;
    expect(mapProblems(readMermaid(text), graph)).toEqual(["a line the map test cannot read: main -> app_common", "drawn, but no product folder: app/ghost"]);
    const withNewFolder: ImportGraph = new Map([...graph, ["app/new-room/thing.ts", []]]);
    expect(mapProblems(readMermaid(importsMap), withNewFolder)).toEqual(["a product folder the map misses: app/new-room"]);
  });

  test("GIVEN the folder graph THEN it has no circle: every arrow points down a layer", () => {
    const folders: ImportGraph = new Map<string, string[]>();
    for (const arrow of folderArrows(graph)) {
      const [from, to] = arrow.split(" --> ");
      (folders as Map<string, string[]>).set(from, [...(folders.get(from) ?? []), to]);
    }
    expect(importCircles(folders).map((circle) => circle.join(" --> "))).toEqual([]);
  });

  test("GIVEN the path of a config THEN every folder it names exists", () => {
    expect(pathMap).toBeDefined();
    const named = [...pathMap.matchAll(/[A-Za-z0-9_]+\["([^"]+)"\]/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThanOrEqual(5);
    expect(named.filter((folder) => !fs.existsSync(path.join(PROJECT_ROOT, folder)))).toEqual([]);
  });
});

describe("the rooms", () => {
  const files = productFiles();
  const folders = [...new Set(files.filter((file) => file.includes("/")).map((file) => path.posix.dirname(file)))].sort();

  test(`GIVEN every folder of product code THEN none holds more than ${MOST_FILES_IN_A_FOLDER} files directly`, () => {
    const crowded = folders.map((folder) => ({ folder, files: files.filter((file) => path.posix.dirname(file) === folder).length })).filter((room) => room.files > MOST_FILES_IN_A_FOLDER);
    expect(crowded).toEqual([]);
  });

  test("GIVEN docs/development.md's layout table THEN it has one row per folder listing exactly that folder's files", () => {
    const table = tablesIn(readDoc("docs/development.md")).find((found) => found.header[0] === "folder" && found.header[2] === "files");
    const listed = Object.fromEntries((table?.rows ?? []).map((row) => [codeIn(row[0])[0].replace(/\/$/, ""), codeIn(row[2]).sort()]));
    const actual = Object.fromEntries(
      folders.filter((folder) => !folder.endsWith("/private")).map((folder) => [folder, files.filter((file) => path.posix.dirname(file) === folder).map((file) => path.posix.basename(file)).sort()]),
    );
    expect(listed).toEqual(actual);
  });

  test("GIVEN verify/ THEN it imports nothing from rollout/ (what both need lives in runner/)", () => {
    const graph = importGraph();
    const reaching = files.filter((file) => file.startsWith("verify/")).flatMap((file) => (graph.get(file) ?? []).filter((to) => to.startsWith("rollout/")).map((to) => `${file} -> ${to}`));
    expect(reaching).toEqual([]);
    expect(folderOf("modules/trelica-integration/private/validate.ts")).toBe("modules/trelica-integration");
  });
});
