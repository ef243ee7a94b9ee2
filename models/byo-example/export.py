#!/usr/bin/python3
"""
Bring-your-own-model example: a tiny PyTorch network exported to ONNX with torch.onnx.export.

This is a DEMONSTRATION FIXTURE, not a clinical model. It is trained on synthetic data drawn from a
made-up formula with a fixed seed, so that Augur can prove it serves an ONNX file produced by a real
external tool exactly like its built-in models.

Run with Debian's PyTorch (apt-get install python3-torch python3-onnx):

    /usr/bin/python3 models/byo-example/export.py

It writes, next to itself:
  model.onnx    the exported network (one input tensor "x" [N, 4], one output "risk" [N, 1], float32)
  model.json    the manifest (model card + input contract), with the ONNX file's sha256
  vectors.json  PyTorch's own outputs for a few inputs; onnxruntime must reproduce them (test/models)
"""
import hashlib
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(20240501)
torch.use_deterministic_algorithms(True)

# Manifest input order = tensor column order: age_years, sex (female=0, male=1), current_smoker (0/1), sbp.
MEAN = torch.tensor([55.0, 0.5, 0.2, 130.0])
SD = torch.tensor([12.0, 0.5, 0.4, 18.0])


class DemoRisk(torch.nn.Module):
    """Standardise raw inputs, a 4-8-1 tanh MLP, sigmoid: P(synthetic event)."""

    def __init__(self) -> None:
        super().__init__()
        self.mean = torch.nn.Parameter(MEAN.clone(), requires_grad=False)
        self.sd = torch.nn.Parameter(SD.clone(), requires_grad=False)
        self.hidden = torch.nn.Linear(4, 8)
        self.out = torch.nn.Linear(8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = (x - self.mean) / self.sd
        return torch.sigmoid(self.out(torch.tanh(self.hidden(z))))


def synthetic(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A made-up population and a made-up outcome with an age x smoking interaction (no real data)."""
    age = 30 + 50 * torch.rand(n)
    sex = (torch.rand(n) < 0.5).float()
    smoker = (torch.rand(n) < 0.2).float()
    sbp = 100 + 60 * torch.rand(n)
    logit = -3.0 + 0.07 * (age - 55) + 0.5 * sex + 0.8 * smoker + 0.02 * (sbp - 130) + 0.03 * smoker * (age - 55)
    y = (torch.rand(n) < torch.sigmoid(logit)).float()
    return torch.stack([age, sex, smoker, sbp], dim=1), y.unsqueeze(1)


def train() -> DemoRisk:
    model = DemoRisk()
    x, y = synthetic(4000)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.02)
    loss_fn = torch.nn.BCELoss()
    for _ in range(400):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    model.eval()
    return model


INPUTS = [
    {
        "name": "age_years",
        "description": "Age at the time of the request.",
        "type": "number",
        "unit": "a",
        "range": {"min": 30, "max": 80, "outside": "refuse"},
        "missing": {"policy": "refuse"},
        "fhir": {"source": "patient", "field": "age-years"},
    },
    {
        "name": "sex",
        "description": "Administrative sex (Patient.gender).",
        "type": "enum",
        "values": ["female", "male"],
        "missing": {"policy": "refuse"},
        "fhir": {"source": "patient", "field": "sex"},
    },
    {
        "name": "current_smoker",
        "description": "Current tobacco smoker.",
        "type": "boolean",
        "missing": {"policy": "default", "value": False, "reason": "Demonstration default: no smoking status recorded is read as non-smoker, and flagged."},
        "fhir": {
            "source": "coded-observation",
            "valueSet": "loinc-smoking-status",
            "answers": {"smoking-current": True, "smoking-never-or-former": False},
            "lookbackDays": 730,
            "staleAfterDays": 365,
        },
    },
    {
        "name": "systolic_bp_mm_hg",
        "description": "Systolic blood pressure.",
        "type": "number",
        "unit": "mm[Hg]",
        "range": {"min": 90, "max": 180, "outside": "warn"},
        "missing": {"policy": "refuse"},
        "fhir": {
            "source": "observation",
            "valueSet": "loinc-systolic-bp",
            "unit": "mm[Hg]",
            "lookbackDays": 365,
            "staleAfterDays": 180,
        },
    },
]
REFERENCE = {"age_years": 55, "sex": "female", "current_smoker": False, "systolic_bp_mm_hg": 130}


def encode(inputs: dict) -> list[float]:
    return [float(inputs["age_years"]), 1.0 if inputs["sex"] == "male" else 0.0, 1.0 if inputs["current_smoker"] else 0.0, float(inputs["systolic_bp_mm_hg"])]


def manifest(sha256: str) -> dict:
    return {
        "id": "byo-example",
        "version": "1.0.0",
        "name": "Bring-your-own-model example (PyTorch demonstration fixture)",
        "kind": "learned",
        "onnx": {"file": "model.onnx", "sha256": sha256, "inputName": "x", "dtype": "float32"},
        "citations": [{"text": "Augur test fixture: models/byo-example/export.py (PyTorch torch.onnx.export). Not a published model."}],
        "intendedUse": "Demonstration only: shows that a site can drop an ONNX file exported by an external tool (PyTorch) into a models folder and have it served, validated and explained like a built-in model. Do not use for any clinical decision.",
        "intendedUsers": "Developers and site administrators testing the bring-your-own-model path.",
        "population": {
            "description": "None. Trained on 4000 synthetic records drawn from a made-up formula (export.py); it describes no real population.",
            "ageYears": {"min": 30, "max": 80},
        },
        "limitations": [
            "Not a clinical model: synthetic training data, no validation on patients.",
            "Its output is a probability of a made-up event and means nothing about any real patient.",
        ],
        "development": {
            "method": "4-8-1 tanh multilayer perceptron with sigmoid output, Adam (lr 0.02, 400 full-batch steps, seed 20240501), exported with torch.onnx.export (opset 13, dynamic batch axis).",
            "data": "4000 synthetic records (age, sex, smoking, systolic BP) and a synthetic outcome from a fixed logistic formula with an age x smoking interaction.",
            "validation": "None beyond reproducing PyTorch's own outputs in onnxruntime (vectors.json).",
            "metrics": [],
        },
        "inputs": INPUTS,
        "outputs": [
            {"name": "risk", "description": "Probability of the synthetic event (demonstration).", "unit": "fraction", "additiveScale": "log-odds"}
        ],
        "explanation": {
            "method": "shapley-exact",
            "reference": REFERENCE,
            "referenceDescription": "The centre of the synthetic training population: a 55-year-old non-smoking woman with systolic BP 130 mm Hg.",
        },
    }


VECTOR_INPUTS = [
    REFERENCE,
    {"age_years": 40, "sex": "female", "current_smoker": False, "systolic_bp_mm_hg": 115},
    {"age_years": 62, "sex": "male", "current_smoker": True, "systolic_bp_mm_hg": 150},
    {"age_years": 75, "sex": "male", "current_smoker": False, "systolic_bp_mm_hg": 172},
    {"age_years": 48.5, "sex": "female", "current_smoker": True, "systolic_bp_mm_hg": 138},
    {"age_years": 80, "sex": "male", "current_smoker": True, "systolic_bp_mm_hg": 180},
]


def main() -> None:
    model = train()
    onnx_path = os.path.join(HERE, "model.onnx")
    torch.onnx.export(
        model,
        torch.zeros(1, 4),
        onnx_path,
        input_names=["x"],
        output_names=["risk"],
        dynamic_axes={"x": {0: "batch"}, "risk": {0: "batch"}},
        opset_version=13,
    )
    with open(onnx_path, "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    with torch.no_grad():
        out = model(torch.tensor([encode(v) for v in VECTOR_INPUTS])).squeeze(1).tolist()
    vectors = {
        "model": "byo-example",
        "vectors": [
            {
                "name": f"PyTorch vector {i + 1}",
                "source": "PyTorch forward pass (float32) of the exported module, computed by export.py",
                "inputs": v,
                "expected": {"risk": o},
                "tolerance": 1e-6,
            }
            for i, (v, o) in enumerate(zip(VECTOR_INPUTS, out))
        ],
    }
    with open(os.path.join(HERE, "model.json"), "w") as f:
        json.dump(manifest(sha256), f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(HERE, "vectors.json"), "w") as f:
        json.dump(vectors, f, indent=2)
        f.write("\n")
    print(f"wrote model.onnx (sha256 {sha256}), model.json, vectors.json")


if __name__ == "__main__":
    main()
