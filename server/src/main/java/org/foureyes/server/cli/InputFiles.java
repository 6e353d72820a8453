package org.foureyes.server.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Why a file a person named could not be used, in one sentence: that it does not exist, is a
 * directory, cannot be read, or where its YAML/JSON is malformed (one position, one sentence,
 * not the parser's dump).
 */
final class InputFiles {
    private InputFiles() {
    }

    /** A command's error as the person should read it: a missing file by its name, else the message. */
    static String message(Throwable e) {
        if (e instanceof NoSuchFileException n && n.getFile() != null) {
            return n.getFile() + " does not exist";
        }
        if (e instanceof AccessDeniedException a && a.getFile() != null) {
            return a.getFile() + " cannot be read: permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    static String unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return file + " does not exist";
        }
        if (Files.isDirectory(file)) {
            return file + " is a directory; give a file";
        }
        if (e instanceof AccessDeniedException) {
            return file + " cannot be read: permission denied";
        }
        if (e instanceof JsonProcessingException j) {
            return malformed(file, j);
        }
        return "cannot read " + file + ": " + e.getMessage();
    }

    /** {@code file:line:column: sentence}, with line and column counted from 1. */
    static String malformed(Path file, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                Mark m = y.getProblemMark();
                return file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": not valid YAML: "
                        + firstLine(y.getProblem() == null ? y.getContext() : y.getProblem());
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
        return file + where + ": not valid YAML or JSON: " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        String line = s.strip().split("\\R", 2)[0];
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
