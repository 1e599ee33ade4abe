"""Placeholder."""
import streamlit as st

st.title("brand_impact")
