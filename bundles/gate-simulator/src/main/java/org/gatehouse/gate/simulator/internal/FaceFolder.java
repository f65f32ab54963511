package org.gatehouse.gate.simulator.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * The face photos a run plays: JPEG files of enrolled people in the folder itself or its {@code residents/}
 * sub-folder, of people not enrolled in {@code strangers/}. Each photo is decoded once, when the run starts (at most
 * {@link #MAX_IMAGES}, scaled down to at most {@link #MAX_SIDE} px), so a file that cannot be read is found then: it is
 * skipped and named in {@link #skipped()}; a folder that is missing, holds no JPEG, or none that can be read, is refused
 * with a {@link SimulatorException} that says which.
 */
public record FaceFolder(Path folder, List<Face> residents, List<Face> strangers, List<String> skipped) {
    public static final int MAX_IMAGES = 2000;
    public static final int MAX_SIDE = 400;
    /** No folder: the run presents credentials only. */
    public static final FaceFolder NONE = new FaceFolder(null, List.of(), List.of(), List.of());

    public FaceFolder {
        residents = List.copyOf(residents);
        strangers = List.copyOf(strangers);
        skipped = List.copyOf(skipped);
    }

    /** A decoded photo and its file name. */
    public record Face(String name, BufferedImage image) {
    }

    public boolean isEmpty() {
        return residents.isEmpty() && strangers.isEmpty();
    }

    public static FaceFolder load(Path folder) {
        if (folder == null) {
            return NONE;
        }
        if (!Files.exists(folder)) {
            throw new SimulatorException("No such folder: " + folder);
        }
        if (!Files.isDirectory(folder)) {
            throw new SimulatorException(folder + " is a file, not a folder of face photos");
        }
        List<Path> residentFiles = new ArrayList<>(jpegs(folder));
        residentFiles.addAll(jpegs(folder.resolve("residents")));
        List<Path> strangerFiles = jpegs(folder.resolve("strangers"));
        if (residentFiles.isEmpty() && strangerFiles.isEmpty()) {
            throw new SimulatorException("No JPEG photos (*.jpg, *.jpeg) in " + folder + " nor in its residents/ and"
                    + " strangers/ folders");
        }
        if (residentFiles.size() + strangerFiles.size() > MAX_IMAGES) {
            throw new SimulatorException("Too many photos in " + folder + ": " + (residentFiles.size()
                    + strangerFiles.size()) + ", at most " + MAX_IMAGES);
        }
        List<String> skipped = new ArrayList<>();
        List<Face> residents = decode(residentFiles, skipped);
        List<Face> strangers = decode(strangerFiles, skipped);
        if (residents.isEmpty() && strangers.isEmpty()) {
            throw new SimulatorException("None of the " + skipped.size() + " photos in " + folder + " can be read ("
                    + skipped.get(0) + (skipped.size() > 1 ? ", …" : "") + ")");
        }
        return new FaceFolder(folder, residents, strangers, skipped);
    }

    private static List<Path> jpegs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".jpg") || name.endsWith(".jpeg");
            }).sorted().toList();
        } catch (IOException e) {
            throw new SimulatorException("Cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static List<Face> decode(List<Path> files, List<String> skipped) {
        List<Face> faces = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                BufferedImage image = ImageIO.read(file.toFile());
                if (image == null) {
                    skipped.add(name + ": not an image");
                } else if (image.getWidth() < 32 || image.getHeight() < 32) {
                    skipped.add(name + ": too small (" + image.getWidth() + "×" + image.getHeight() + ")");
                } else {
                    faces.add(new Face(name, bounded(image)));
                }
            } catch (IOException | RuntimeException e) {
                skipped.add(name + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return faces;
    }

    /** An RGB copy no larger than {@link #MAX_SIDE}. */
    private static BufferedImage bounded(BufferedImage image) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(image.getWidth(), image.getHeight()));
        int w = (int) Math.round(image.getWidth() * scale);
        int h = (int) Math.round(image.getHeight() * scale);
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
