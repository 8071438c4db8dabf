"""Builds the ONNX fixtures of onnx-model.test.ts from fitted scikit-learn models, outside Modelyard's code.

Run with Debian's python (python3-onnx 1.12, python3-sklearn 1.2, python3-numpy) from the repository root:

    /usr/bin/python3 packages/server/src/serving/__fixtures__/make_onnx_fixtures.py

It writes, next to this script:
  credit-forest.onnx       RandomForestClassifier as an ai.onnx.ml TreeEnsembleClassifier, one float input [N, 11]
  credit-forest.json       200 records and scikit-learn's predict / predict_proba for them
  credit-forest-zipmap.onnx  the same forest with skl2onnx's default ZipMap output (a sequence of maps); no
                           feature names in its metadata, so its features are x0..x10 (same reference as above)
  churn-linear.onnx        ColumnTransformer(OneHotEncoder) + LinearRegression, one input per column (int64, float,
                           double, bool, string), predicting monthly_charges
  churn-linear.json        200 records (two with an unseen category) and scikit-learn's predict for them

skl2onnx is not available here, so the graphs are written with onnx.helper from the fitted estimators' attributes.
Everything is seeded: re-running gives the same files.
"""

import csv
import json
import os

import numpy as np
import onnx
import sklearn
from onnx import TensorProto, helper, numpy_helper
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MODELYARD_SHARED_DATA", "/work/shared/data")
PRODUCER = "make_onnx_fixtures.py"
PRODUCER_VERSION = f"scikit-learn {sklearn.__version__}, onnx {onnx.__version__}"
OPSETS = [helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 3)]
ROWS = 200


def read_csv(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(f))


def float32_at_or_below(threshold):
    """The largest float32 <= threshold: for a float32 x, x <= t (double) exactly when x <= this float32."""
    t32 = np.float32(threshold)
    if float(t32) > threshold:
        t32 = np.nextafter(t32, np.float32(-np.inf))
    return float(t32)


def save(model, name):
    onnx.checker.check_model(model)
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    print(f"{name}: {os.path.getsize(path)} bytes")


def save_json(value, name):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def credit_forest():
    rows = read_csv("credit_card_applications.csv")
    features = ["reports", "age", "income", "share", "expenditure", "owner", "selfemp", "dependents", "months",
                "majorcards", "active"]
    yes_no = {"owner", "selfemp"}

    def value(row, name):
        return (1.0 if row[name] == "yes" else 0.0) if name in yes_no else float(row[name])

    # scikit-learn's trees score float32 inputs, so the model and its reference both see float32 values.
    x = np.array([[value(r, f) for f in features] for r in rows], dtype=np.float32)
    y = np.array([r["card"] for r in rows])
    model = RandomForestClassifier(n_estimators=20, max_depth=5, random_state=0).fit(x, y)
    classes = [str(c) for c in model.classes_]

    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                             "nodes_truenodeids", "nodes_falsenodeids", "class_treeids", "class_nodeids",
                             "class_ids", "class_weights"]}
    n_trees = len(model.estimators_)
    for t, estimator in enumerate(model.estimators_):
        tree = estimator.tree_
        for node in range(tree.node_count):
            left, right = int(tree.children_left[node]), int(tree.children_right[node])
            leaf = left == -1
            attrs["nodes_treeids"].append(t)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_featureids"].append(0 if leaf else int(tree.feature[node]))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_values"].append(0.0 if leaf else float32_at_or_below(float(tree.threshold[node])))
            attrs["nodes_truenodeids"].append(0 if leaf else left)
            attrs["nodes_falsenodeids"].append(0 if leaf else right)
            if leaf:
                counts = tree.value[node][0]
                # Weights for both classes (as skl2onnx writes forests): the forest's probability is their sum.
                for c, share in enumerate(counts / counts.sum()):
                    attrs["class_treeids"].append(t)
                    attrs["class_nodeids"].append(node)
                    attrs["class_ids"].append(c)
                    attrs["class_weights"].append(float(share) / n_trees)

    node = helper.make_node("TreeEnsembleClassifier", ["float_input"], ["label", "probabilities"],
                            domain="ai.onnx.ml", name="forest", classlabels_strings=classes,
                            post_transform="NONE", **attrs)
    graph = helper.make_graph(
        [node], "credit_forest",
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", len(features)])],
        [helper.make_tensor_value_info("label", TensorProto.STRING, ["N"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(classes)])])
    onnx_model = helper.make_model(graph, opset_imports=OPSETS, producer_name=PRODUCER,
                                   producer_version=PRODUCER_VERSION,
                                   doc_string="RandomForestClassifier(n_estimators=20, max_depth=5) on credit card "
                                              "applications, target card")
    onnx_model.ir_version = 8
    helper.set_model_props(onnx_model, {"feature_names": ",".join(features), "target": "card"})
    save(onnx_model, "credit-forest.onnx")

    # skl2onnx's default form of the same forest: probabilities through a ZipMap, a sequence of {class: p} maps.
    zip_type = onnx.TypeProto()
    zip_map = zip_type.sequence_type.elem_type.map_type
    zip_map.key_type = TensorProto.STRING
    zip_map.value_type.tensor_type.elem_type = TensorProto.FLOAT
    zip_node = helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                                name="zipmap", classlabels_strings=classes)
    forest_node = helper.make_node("TreeEnsembleClassifier", ["float_input"], ["output_label", "probabilities"],
                                   domain="ai.onnx.ml", name="forest", classlabels_strings=classes,
                                   post_transform="NONE", **attrs)
    zip_graph = helper.make_graph(
        [forest_node, zip_node], "credit_forest_zipmap",
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", len(features)])],
        [helper.make_tensor_value_info("output_label", TensorProto.STRING, ["N"]),
         onnx.ValueInfoProto(name="output_probability", type=zip_type)])
    zip_model = helper.make_model(zip_graph, opset_imports=OPSETS, producer_name=PRODUCER,
                                  producer_version=PRODUCER_VERSION,
                                  doc_string="credit-forest.onnx with a ZipMap output, as skl2onnx writes by default")
    zip_model.ir_version = 8
    save(zip_model, "credit-forest-zipmap.onnx")

    rng = np.random.default_rng(7)
    pick = np.sort(rng.choice(len(rows), ROWS, replace=False))
    proba = model.predict_proba(x[pick])
    label = model.predict(x[pick])
    # The records carry what the model reads: owner and selfemp as 0/1 (yes = 1), the rest as in the CSV.
    records = [{f: value(rows[i], f) for f in features} for i in pick]
    save_json({
        "model": "credit-forest.onnx",
        "made_by": f"{PRODUCER} with {PRODUCER_VERSION}",
        "classes": classes,
        "records": records,
        "expected": [{"label": str(label[k]), "probabilities": {c: float(proba[k][j]) for j, c in enumerate(classes)}}
                     for k in range(len(pick))],
    }, "credit-forest.json")


def churn_linear():
    rows = [r for r in read_csv("wa_churn.csv") if r["total_charges"].strip() != ""]
    numeric = [("tenure", TensorProto.INT64), ("senior_citizen", TensorProto.FLOAT),
               ("total_charges", TensorProto.DOUBLE), ("partner", TensorProto.BOOL)]
    categories = ["contract", "internet_service", "payment_method"]
    target = "monthly_charges"

    def numeric_value(row, name):
        v = float(row[name])
        # The ONNX model reads senior_citizen as float32; the reference sees the same rounded value.
        return float(np.float32(v)) if name == "senior_citizen" else v

    x = np.array([[numeric_value(r, n) for n, _ in numeric] + [r[c] for c in categories] for r in rows], dtype=object)
    y = np.array([float(r[target]) for r in rows])
    n_num = len(numeric)
    pipeline = Pipeline([
        ("columns", ColumnTransformer([
            ("numbers", "passthrough", list(range(n_num))),
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(range(n_num, n_num + len(categories)))),
        ])),
        ("linear", LinearRegression()),
    ]).fit(x, y)
    encoder = pipeline.named_steps["columns"].named_transformers_["categories"]
    linear = pipeline.named_steps["linear"]

    nodes, inputs, columns = [], [], []
    for name, elem in numeric:
        inputs.append(helper.make_tensor_value_info(name, elem, ["N", 1]))
        nodes.append(helper.make_node("Cast", [name], [f"{name}_d"], to=TensorProto.DOUBLE))
        columns.append(f"{name}_d")
    initializers = []
    for name, cats in zip(categories, encoder.categories_):
        cats = [str(c) for c in cats]
        inputs.append(helper.make_tensor_value_info(name, TensorProto.STRING, ["N", 1]))
        nodes.append(helper.make_node("OneHotEncoder", [name], [f"{name}_hot"], domain="ai.onnx.ml",
                                      cats_strings=cats, zeros=1))
        initializers.append(numpy_helper.from_array(np.array([-1, len(cats)], dtype=np.int64), f"{name}_shape"))
        nodes.append(helper.make_node("Reshape", [f"{name}_hot", f"{name}_shape"], [f"{name}_2d"]))
        nodes.append(helper.make_node("Cast", [f"{name}_2d"], [f"{name}_d"], to=TensorProto.DOUBLE))
        columns.append(f"{name}_d")
    nodes.append(helper.make_node("Concat", columns, ["design"], axis=1))
    initializers.append(numpy_helper.from_array(linear.coef_.reshape(-1, 1).astype(np.float64), "coefficients"))
    initializers.append(numpy_helper.from_array(np.array([linear.intercept_], dtype=np.float64), "intercept"))
    nodes.append(helper.make_node("MatMul", ["design", "coefficients"], ["product"]))
    nodes.append(helper.make_node("Add", ["product", "intercept"], ["variable"]))
    graph = helper.make_graph(nodes, "churn_linear", inputs,
                              [helper.make_tensor_value_info("variable", TensorProto.DOUBLE, ["N", 1])],
                              initializer=initializers)
    onnx_model = helper.make_model(graph, opset_imports=OPSETS, producer_name=PRODUCER,
                                   producer_version=PRODUCER_VERSION,
                                   doc_string="OneHotEncoder + LinearRegression on wa_churn, target monthly_charges")
    onnx_model.ir_version = 8
    helper.set_model_props(onnx_model, {"target": target})
    save(onnx_model, "churn-linear.onnx")

    rng = np.random.default_rng(11)
    pick = np.sort(rng.choice(len(rows), ROWS, replace=False))
    sample = x[pick].copy()
    # Two rows with a category the encoder never saw: both sides score it as all zeros.
    sample[0, n_num] = "Three year"
    sample[1, n_num + 2] = "Cheque"
    predicted = pipeline.predict(sample)
    records = []
    for row in sample:
        record = {}
        for k, (name, elem) in enumerate(numeric):
            v = float(row[k])
            record[name] = bool(v) if elem == TensorProto.BOOL else (int(v) if elem == TensorProto.INT64 else v)
        for k, name in enumerate(categories):
            record[name] = str(row[n_num + k])
        records.append(record)
    save_json({
        "model": "churn-linear.onnx",
        "made_by": f"{PRODUCER} with {PRODUCER_VERSION}",
        "records": records,
        "expected": [{"value": float(v)} for v in predicted],
    }, "churn-linear.json")


if __name__ == "__main__":
    credit_forest()
    churn_linear()
