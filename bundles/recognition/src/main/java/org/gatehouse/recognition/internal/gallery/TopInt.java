package org.gatehouse.recognition.internal.gallery;

/** Bounded min-heap of (int score, row): the best rows of an int8 scan. */
final class TopInt {
    final int[] score;
    final int[] row;
    int n;

    TopInt(int cap) {
        score = new int[cap];
        row = new int[cap];
    }

    void offer(int s, int r) {
        if (n < score.length) {
            int i = n++;
            while (i > 0) {
                int p = (i - 1) >> 1;
                if (score[p] <= s) {
                    break;
                }
                score[i] = score[p];
                row[i] = row[p];
                i = p;
            }
            score[i] = s;
            row[i] = r;
        } else if (s > score[0]) {
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= n) {
                    break;
                }
                int c = (l + 1 < n && score[l + 1] < score[l]) ? l + 1 : l;
                if (score[c] >= s) {
                    break;
                }
                score[i] = score[c];
                row[i] = row[c];
                i = c;
            }
            score[i] = s;
            row[i] = r;
        }
    }

    int min() {
        return n < score.length ? Integer.MIN_VALUE : score[0];
    }
}
