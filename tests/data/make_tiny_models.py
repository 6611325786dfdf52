import numpy as np, tensorflow as tf, keras
inp = keras.Input((8, 8, 1)); x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
x = keras.layers.GlobalAveragePooling2D()(x); out = keras.layers.Dense(3, activation="softmax")(x)
m = keras.Model(inp, out)
c = tf.lite.TFLiteConverter.from_keras_model(m); open("tiny_f32.tflite","wb").write(c.convert())
c = tf.lite.TFLiteConverter.from_keras_model(m); c.optimizations=[tf.lite.Optimize.DEFAULT]
c.representative_dataset = lambda: ([np.random.rand(1,8,8,1).astype(np.float32)] for _ in range(20))
c.target_spec.supported_ops=[tf.lite.OpsSet.TFLITE_BUILTINS_INT8]; c.inference_input_type=tf.int8; c.inference_output_type=tf.int8
open("tiny_i8.tflite","wb").write(c.convert())
x = np.random.rand(5,8,8,1).astype(np.float32); np.save("tiny_x.npy", x); np.save("tiny_y.npy", m.predict(x, verbose=0))
