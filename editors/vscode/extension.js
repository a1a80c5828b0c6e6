// The Journeymap extension: starts `journey lsp` for .journey files and opens `journey watch`.
"use strict";

const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function settings() {
  const config = vscode.workspace.getConfiguration("journeymap");
  return {
    command: config.get("command") || "journey",
    includeRoot: config.get("includeRoot") || undefined,
    view: config.get("watch.view") || "flow",
  };
}

function activate(context) {
  const { command, includeRoot } = settings();
  client = new LanguageClient(
    "journeymap",
    "Journey language server",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "journey" },
        { scheme: "untitled", language: "journey" },
      ],
      initializationOptions: { includeRoot },
    },
  );
  client.start();

  context.subscriptions.push(
    vscode.commands.registerCommand("journeymap.watch", () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== "journey" || editor.document.uri.scheme !== "file") {
        vscode.window.showWarningMessage("Open a saved .journey file to preview it.");
        return;
      }
      const file = editor.document.uri.fsPath;
      const current = settings();
      // The command runs as a process of its own (no shell), so no path needs quoting.
      const terminal = vscode.window.createTerminal({
        name: `journey watch ${path.basename(file)}`,
        cwd: path.dirname(file),
        shellPath: current.command,
        shellArgs: ["watch", path.basename(file), "--view", current.view, "--open"],
      });
      terminal.show(true);
    }),
  );
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
