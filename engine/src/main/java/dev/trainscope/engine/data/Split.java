package dev.trainscope.engine.data;

import dev.trainscope.engine.nn.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A stratified train/validation split with features standardised by the training set's mean and
 * standard deviation only, so nothing about the validation set leaks into training.
 */
public final class Split {
  public final Matrix trainX;
  public final int[] trainY;
  public final Matrix valX;
  public final int[] valY;
  public final double[] mean;
  public final double[] std;

  /** Indices into the data set of the validation samples, in order. */
  public final int[] validationIndices;

  private Split(
      Matrix trainX,
      int[] trainY,
      Matrix valX,
      int[] valY,
      double[] mean,
      double[] std,
      int[] validationIndices) {
    this.trainX = trainX;
    this.trainY = trainY;
    this.valX = valX;
    this.valY = valY;
    this.mean = mean;
    this.std = std;
    this.validationIndices = validationIndices;
  }

  public boolean hasValidation() {
    return valY.length > 0;
  }

  /**
   * Per class, shuffles the samples with {@code random} and sends round(fraction x class size) of
   * them to validation, keeping at least one sample of each class for training.
   */
  public static Split stratified(Dataset data, double fraction, Random random) {
    int classes = data.classes().size();
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
    for (int i = 0; i < data.size(); i++) byClass.get(data.label(i)).add(i);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (List<Integer> members : byClass) {
      Collections.shuffle(members, random);
      int v = (int) Math.round(members.size() * fraction);
      v = Math.min(v, Math.max(0, members.size() - 1));
      val.addAll(members.subList(0, v));
      train.addAll(members.subList(v, members.size()));
    }
    // Interleave classes in a seeded order so "the first validation sample" is not always class 0.
    Collections.shuffle(val, random);
    Collections.sort(train);

    int f = data.featureCount();
    double[] mean = new double[f];
    double[] std = new double[f];
    for (int i : train) {
      double[] x = data.features(i);
      for (int j = 0; j < f; j++) mean[j] += x[j];
    }
    for (int j = 0; j < f; j++) mean[j] /= train.size();
    for (int i : train) {
      double[] x = data.features(i);
      for (int j = 0; j < f; j++) std[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
    }
    for (int j = 0; j < f; j++) {
      std[j] = Math.sqrt(std[j] / train.size());
      if (std[j] < 1e-12) std[j] = 1; // a constant feature stays 0 instead of dividing by zero
    }
    return new Split(
        standardised(data, train, mean, std),
        labels(data, train),
        standardised(data, val, mean, std),
        labels(data, val),
        mean,
        std,
        val.stream().mapToInt(Integer::intValue).toArray());
  }

  private static Matrix standardised(Dataset data, List<Integer> idx, double[] mean, double[] std) {
    int f = data.featureCount();
    Matrix m = new Matrix(idx.size(), f);
    for (int r = 0; r < idx.size(); r++) {
      double[] x = data.features(idx.get(r));
      for (int j = 0; j < f; j++) m.set(r, j, (float) ((x[j] - mean[j]) / std[j]));
    }
    return m;
  }

  private static int[] labels(Dataset data, List<Integer> idx) {
    return idx.stream().mapToInt(data::label).toArray();
  }
}
