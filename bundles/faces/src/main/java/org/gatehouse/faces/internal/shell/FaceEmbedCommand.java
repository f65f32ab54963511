package org.gatehouse.faces.internal.shell;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.recognition.api.FaceEngine;
import org.gatehouse.recognition.api.FaceException;

/**
 * {@code gatehouse:face-embed LIST OUT}: one image path per line in LIST (or LIST is itself an image: that one);
 * OUT gets {@code path<TAB>comma-separated floats} per image, an empty vector when the image has no usable face.
 */
@Command(scope = "gatehouse", name = "face-embed", description = "Computes face templates for a list of images")
@Service
public class FaceEmbedCommand implements Action {
    @Reference
    FaceEngine engine;

    @Reference
    Session session;

    @Argument(index = 0, name = "list", required = true,
            description = "File with one image path per line (relative to the shell's directory), or one image")
    @Completion(FileCompleter.class)
    String list;

    @Argument(index = 1, name = "out", required = true, description = "Output file (TSV)")
    @Completion(FileCompleter.class)
    String out;

    /**
     * The image paths LIST names: its lines (blank ones and {@code #} comments skipped), or LIST itself when it is an
     * image (JPEG, PNG, BMP or WebP by its first bytes). Anything else that is not UTF-8 text is refused by name.
     */
    static List<String> imagePaths(Path listFile, String argument) throws java.io.IOException {
        byte[] head = new byte[12];
        int read;
        try (java.io.InputStream in = Files.newInputStream(listFile)) {
            read = in.readNBytes(head, 0, head.length);
        }
        if (isImage(head, read)) {
            return List.of(argument);
        }
        try {
            return Files.readAllLines(listFile, StandardCharsets.UTF_8).stream()
                    .map(String::trim).filter(p -> !p.isEmpty() && !p.startsWith("#")).toList();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(listFile + " is neither an image (JPEG, PNG, BMP, WebP) nor a text "
                    + "file of image paths, one per line");
        }
    }

    private static boolean isImage(byte[] b, int n) {
        return n >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF
                || n >= 4 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                || n >= 2 && b[0] == 'B' && b[1] == 'M'
                || n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P';
    }

    @Override
    public Object execute() throws Exception {
        Path listFile = ShellFiles.existing(session, list, "image list");
        Path outFile = ShellFiles.writable(session, out, "output file");
        List<String> paths = imagePaths(listFile, list);
        Map<String, Integer> failures = new TreeMap<>();
        int embedded = 0;
        int done = 0;
        long start = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            for (String path : paths) {
                String vector = "";
                try {
                    float[] v = engine.embed(Files.readAllBytes(ShellFiles.resolve(session, path))).vector();
                    StringBuilder sb = new StringBuilder(v.length * 10);
                    for (int i = 0; i < v.length; i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        sb.append(v[i]);
                    }
                    vector = sb.toString();
                    embedded++;
                } catch (FaceException e) {
                    failures.merge(e.code().name(), 1, Integer::sum);
                } catch (java.io.IOException e) {
                    failures.merge("UNREADABLE_FILE", 1, Integer::sum);
                }
                w.write(path);
                w.write('\t');
                w.write(vector);
                w.newLine();
                done++;
                if (paths.size() >= 20 && done % Math.max(1, paths.size() / 10) == 0) {
                    System.out.printf("  %d%% (%d/%d)%n", done * 100 / paths.size(), done, paths.size());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d images, %d embedded, %d without a usable face %s in %.1f s -> %s%n", paths.size(),
                embedded, paths.size() - embedded, failures.isEmpty() ? "" : failures, seconds, outFile);
        return null;
    }
}
